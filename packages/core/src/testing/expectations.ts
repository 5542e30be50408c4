import { expect } from 'vitest'
import { describeError, isNexusError, type ErrorCode } from '../errors/index.js'

/** The failure a call produced, or undefined when it succeeded. */
export async function failureOf(action: () => unknown): Promise<unknown> {
  try {
    await action()
    return undefined
  } catch (error) {
    return error
  }
}

/**
 * Asserts a call fails with a NexusError of the given code that tells the user what to do next. Checked by shape,
 * never `instanceof`: the provider may carry its own copy of @nexus/core.
 */
export async function expectNexusError(action: () => unknown, code: ErrorCode, what: string): Promise<void> {
  const error = await failureOf(action)
  expect(error, `${what} should fail with ${code}, but it succeeded`).toBeDefined()
  expect(isNexusError(error), `${what} should fail with a NexusError, got: ${describeError(error)}`).toBe(
    true,
  )
  if (!isNexusError(error)) return
  expect(error.code, `${what}: ${error.message}`).toBe(code)
  expect(error.message.length, `${what}: the error needs a message`).toBeGreaterThan(0)
  expect(error.suggestion, `${what}: the error needs a suggestion of what to do next`).toBeTruthy()
}

/** Asserts a call fails with some NexusError (a user-facing failure, not a crash). */
export async function expectSomeNexusError(action: () => unknown, what: string): Promise<void> {
  const error = await failureOf(action)
  expect(error, `${what} should fail, but it succeeded`).toBeDefined()
  expect(isNexusError(error), `${what} should fail with a NexusError, got: ${describeError(error)}`).toBe(
    true,
  )
}
