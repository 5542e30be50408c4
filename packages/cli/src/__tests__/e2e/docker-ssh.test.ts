import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, type Sandbox } from './harness.js'

const execFileAsync = promisify(execFile)

// `docker pull` cannot work on this machine: the workspace image is built from the local base image.
const BASE_IMAGE = 'nexus-base:bookworm'

let sandbox: Sandbox
let workspace: Workspace

beforeAll(async () => {
  sandbox = await createSandbox()
  expect((await sandbox.nexus(['config', 'set', 'backends.docker.base_image', BASE_IMAGE])).code).toBe(0)
  const created = await sandbox.nexus(['workspace', 'create', 'shell', '--backend', 'docker', '--json'])
  expect(created.code, created.stdout + created.stderr).toBe(0)
  workspace = JSON.parse(created.stdout) as Workspace
}, 300_000)

afterAll(async () => {
  if (sandbox) {
    await sandbox.nexus(['workspace', 'destroy', 'shell', '--force'])
    await sandbox.cleanup()
  }
})

describe('a docker workspace over real SSH', () => {
  it('runs a command through `workspace ssh <name> -- …` with its exit code', async () => {
    const result = await sandbox.nexus([
      'workspace',
      'ssh',
      'shell',
      '--',
      'sh',
      '-c',
      'echo "on $(hostname)"; exit 3',
    ])
    expect(result.code).toBe(3)
    expect(result.stdout).toMatch(/^on \S+\n$/)
    const captured = await sandbox.nexus([
      'ws',
      'ssh',
      'shell',
      '--json',
      '--',
      'sh',
      '-c',
      'echo out; echo err >&2',
    ])
    expect(JSON.parse(captured.stdout)).toEqual({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' })
  })

  it('opens a shell that reads piped stdin', async () => {
    const result = await sandbox.nexus(['workspace', 'ssh', 'shell'], {
      input: 'echo from-the-shell; exit 5\n',
    })
    expect(result.code).toBe(5)
    expect(result.stdout).toContain('from-the-shell')
  })

  it('prints the endpoint under --json, and an ssh_config that the system ssh client can use', async () => {
    const target = await sandbox.json<{ alias: string; port: number; command: string }>([
      'ws',
      'ssh',
      'shell',
    ])
    expect(target.alias).toBe('shell.nexus')
    expect(target.port).toBe(workspace.ports.find((port) => port.name === 'ssh')?.hostPort)
    const config = await sandbox.json<{ file: string; include: string; installed: boolean }>([
      'ws',
      'ssh-config',
    ])
    expect(config).toMatchObject({ include: `Include ${config.file}`, installed: false })
    const { stdout } = await execFileAsync('ssh', [
      '-F',
      config.file,
      '-o',
      'BatchMode=yes',
      target.alias,
      'echo',
      'via-openssh',
    ])
    expect(stdout).toBe('via-openssh\n')
  })

  it('installs the Include line into ~/.ssh/config once', async () => {
    const installed = await sandbox.json<{ installed: boolean; include: string }>([
      'ws',
      'ssh-config',
      '--install',
    ])
    expect(installed.installed).toBe(true)
    const again = await sandbox.nexus(['ws', 'ssh-config'])
    expect(again.stdout).toContain('~/.ssh/config includes this file')
    // ssh finds ~ through the password database, not $HOME: name the sandbox's ~/.ssh/config explicitly.
    const userConfig = join(sandbox.env.HOME ?? '', '.ssh', 'config')
    expect((await readFile(userConfig, 'utf8')).split('\n')[0]).toBe(installed.include)
    const { stdout } = await execFileAsync('ssh', [
      '-F',
      userConfig,
      '-o',
      'BatchMode=yes',
      'shell.nexus',
      'echo',
      'included',
    ])
    expect(stdout).toBe('included\n')
    expect((await sandbox.json<{ installed: boolean }>(['ws', 'ssh-config', '--install'])).installed).toBe(
      true,
    )
    expect((await readFile(userConfig, 'utf8')).split(installed.include)).toHaveLength(2)
  })

  it('refuses ssh into a stopped workspace, saying how to start it', async () => {
    expect((await sandbox.nexus(['ws', 'stop', 'shell'])).code).toBe(0)
    const result = await sandbox.nexus(['ws', 'ssh', 'shell', '--json'])
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('WORKSPACE_NOT_RUNNING')
    expect(error.suggestion).toContain('nexus workspace start shell')
  })
})
