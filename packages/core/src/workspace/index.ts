export * from './model.js'
export * from './status.js'
export * from './names.js'
