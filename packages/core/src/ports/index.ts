export * from './ranges.js'
export { isPortFree, portsInTimeWait, freshPortProbe } from './probe.js'
export { parsePortFlag, collectPortRequests, checkHostPort, type PortRequest } from './requests.js'
export { allocatePorts, layoutOffsets, type Allocation, type AllocationInput } from './allocate.js'
