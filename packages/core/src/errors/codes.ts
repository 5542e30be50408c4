/**
 * Every failure a user can cause has a code. The table gives each code its exit status and whether retrying the
 * same call can help; the message and the suggestion are written where the error is raised, because only there is
 * it known what happened and what to run next.
 */
export const ERROR_CODES = {
  WORKSPACE_NOT_FOUND: { exitCode: 1, retryable: false },
  WORKSPACE_ALREADY_EXISTS: { exitCode: 1, retryable: false },
  INVALID_NAME: { exitCode: 2, retryable: false },
  RESERVED_NAME: { exitCode: 2, retryable: false },
  INVALID_ARGUMENT: { exitCode: 2, retryable: false },
  WORKSPACE_START_FAILED: { exitCode: 1, retryable: true },
  WORKSPACE_BUSY: { exitCode: 1, retryable: true },
  WORKSPACE_NOT_RUNNING: { exitCode: 1, retryable: false },
  SNAPSHOT_NOT_FOUND: { exitCode: 1, retryable: false },
  SNAPSHOT_ALREADY_EXISTS: { exitCode: 1, retryable: false },
  HAS_SNAPSHOTS: { exitCode: 1, retryable: false },
  PORT_CONFLICT: { exitCode: 1, retryable: false },
  PORTS_EXHAUSTED: { exitCode: 1, retryable: false },
  RESOURCE_EXHAUSTED: { exitCode: 1, retryable: false },
  BACKEND_UNAVAILABLE: { exitCode: 1, retryable: true },
  BACKEND_NOT_FOUND: { exitCode: 1, retryable: false },
  BACKEND_ERROR: { exitCode: 1, retryable: false },
  CAPABILITY_NOT_SUPPORTED: { exitCode: 1, retryable: false },
  OPERATION_NOT_FOUND: { exitCode: 1, retryable: false },
  CONFIG_INVALID: { exitCode: 78, retryable: false },
  NOT_A_GIT_REPOSITORY: { exitCode: 1, retryable: false },
  GIT_ERROR: { exitCode: 1, retryable: false },
  UNCOMMITTED_CHANGES: { exitCode: 1, retryable: false },
  INVALID_TRANSITION: { exitCode: 1, retryable: false },
  TIMEOUT: { exitCode: 1, retryable: true },
  PERMISSION_DENIED: { exitCode: 77, retryable: false },
  SSH_ERROR: { exitCode: 1, retryable: true },
  STATE_CORRUPT: { exitCode: 1, retryable: false },
  PROVIDER_INCOMPATIBLE: { exitCode: 1, retryable: false },
  SSH_CONNECTION_FAILED: { exitCode: 1, retryable: true },
  DAYTONA_AUTH_FAILED: { exitCode: 77, retryable: false },
  DAYTONA_RATE_LIMITED: { exitCode: 1, retryable: true },
  DAYTONA_QUOTA_EXCEEDED: { exitCode: 1, retryable: false },
  DAYTONA_REGION_UNAVAILABLE: { exitCode: 1, retryable: false },
  DAYTONA_SANDBOX_STOPPED: { exitCode: 1, retryable: false },
  SPRITE_AUTH_FAILED: { exitCode: 77, retryable: false },
  SPRITE_RATE_LIMITED: { exitCode: 1, retryable: true },
  INTERNAL: { exitCode: 70, retryable: false },
} as const satisfies Record<string, { exitCode: number; retryable: boolean }>

export type ErrorCode = keyof typeof ERROR_CODES
