// An operation's result as text: core's rendering, shared by every plugin's commands.
export { renderOperationResult as renderResult } from '@nexus/core'
