export { runDoctor } from './run.js'
export type { CommandEntry, DoctorCheck, DoctorInput, DoctorReport, DoctorStatus } from './types.js'
