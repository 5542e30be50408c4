export * from './capabilities.js'
export * from './contract.js'
export * from './registry.js'
export * from './operations.js'
