import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest'
import type { ExecResult } from '../../provider/index.js'
import type { Workspace } from '../../workspace/index.js'
import { expectSomeNexusError } from '../expectations.js'
import type { ConformanceRun } from '../run.js'
import { captureStream } from '../streams.js'
import { CONFORMANCE_MARKER } from '../test-workspace.js'

interface Ran extends ExecResult {
  stdout: string
  stderr: string
}

/** Running commands: exit codes, separate streams, stdin, argv and env passed through untouched. */
export function describeExec(run: ConformanceRun): void {
  describe('exec', () => {
    let workspace: Workspace | undefined

    beforeAll(async () => {
      if (run.exec()) workspace = await run.createRunning('exec')
    }, run.timeoutMs)

    afterAll(async () => {
      if (!workspace) return
      await run.provider.destroy(workspace)
      run.forget(workspace)
    }, run.timeoutMs)

    async function execute(
      context: TestContext,
      command: string[],
      extra: { stdin?: Readable; env?: Record<string, string> } = {},
    ): Promise<Ran> {
      const exec = run.exec()
      context.skip(!exec || !workspace, 'the provider has no native exec and the harness no exec over SSH')
      if (!exec || !workspace) throw new Error('unreachable: skipped above')
      const stdout = captureStream()
      const stderr = captureStream()
      const result = await exec(workspace, {
        command,
        stdout: stdout.stream,
        stderr: stderr.stream,
        ...extra,
      })
      return { exitCode: result.exitCode, stdout: stdout.text(), stderr: stderr.text() }
    }

    it(
      'returns exit code 0 and the output of a command that succeeds',
      async (context) => {
        const result = await execute(context, ['sh', '-c', 'echo hello'])
        expect(result).toEqual({ exitCode: 0, stdout: 'hello\n', stderr: '' })
      },
      run.timeoutMs,
    )

    it(
      'returns the exit code of a command that fails',
      async (context) => {
        expect((await execute(context, ['sh', '-c', 'exit 7'])).exitCode).toBe(7)
      },
      run.timeoutMs,
    )

    it(
      'keeps stdout and stderr apart',
      async (context) => {
        const result = await execute(context, ['sh', '-c', 'echo to-out; echo to-err >&2'])
        expect(result.stdout).toBe('to-out\n')
        expect(result.stderr).toBe('to-err\n')
      },
      run.timeoutMs,
    )

    it(
      'passes stdin through to the command',
      async (context) => {
        const result = await execute(context, ['cat'], { stdin: Readable.from(['line one\n', 'line two\n']) })
        expect(result.stdout).toBe('line one\nline two\n')
      },
      run.timeoutMs,
    )

    it(
      'preserves argv: spaces, quotes and shell characters arrive as given',
      async (context) => {
        const args = ['two words', "it's", 'say "hi"', '$HOME', '*', 'a;b', 'back\\slash']
        const result = await execute(context, ['printf', '%s\\n', ...args])
        expect(result.stdout.split('\n').slice(0, -1)).toEqual(args)
      },
      run.timeoutMs,
    )

    it(
      'runs in the worktree by default',
      async (context) => {
        const result = await execute(context, ['cat', CONFORMANCE_MARKER.file])
        expect(result).toMatchObject({ exitCode: 0, stdout: CONFORMANCE_MARKER.content })
      },
      run.timeoutMs,
    )

    it(
      'passes env to the command',
      async (context) => {
        const value = 'a b $c "d"'
        const result = await execute(context, ['sh', '-c', 'printf %s "$NEXUS_CONFORMANCE_VALUE"'], {
          env: { NEXUS_CONFORMANCE_VALUE: value },
        })
        expect(result.stdout).toBe(value)
      },
      run.timeoutMs,
    )

    it(
      'refuses to run a command in a workspace that is not running, with a NexusError',
      async (context) => {
        const native = run.provider.exec
        context.skip(!native || run.provider.capabilities().exec !== true, 'the provider has no native exec')
        if (!native) return
        const stopped = await run.create('exec-stopped')
        const sink = captureStream().stream
        await expectSomeNexusError(
          () => native.call(run.provider, stopped, { command: ['true'], stdout: sink, stderr: sink }),
          'exec() in a stopped workspace',
        )
      },
      run.timeoutMs,
    )
  })
}
