export { ERROR_CODES, type ErrorCode } from './codes.js'
export {
  NexusError,
  isNexusError,
  hasErrorCode,
  describeError,
  type NexusErrorOptions,
  type NexusErrorJson,
  type NexusErrorLike,
} from './nexus-error.js'
