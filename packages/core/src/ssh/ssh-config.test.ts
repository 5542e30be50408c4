import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SshEndpoint } from '../provider/index.js'
import { runProgram } from '../util/exec-file.js'
import { sshPaths } from './paths.js'
import { installInclude, renderSshConfig, writeSshConfig } from './ssh-config.js'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nexus-sshcfg-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

const endpoint = (overrides: Partial<SshEndpoint> = {}): SshEndpoint => ({
  host: '127.0.0.1',
  port: 32801,
  user: 'nexus',
  identity: '/home/dev/.nexus/keys/id_ed25519',
  forwardAgent: true,
  ...overrides,
})

/** What the real OpenSSH client resolves for `alias` from a config file (`ssh -G` prints it without connecting). */
async function resolvedByOpenSsh(configFile: string, alias: string): Promise<Map<string, string>> {
  const result = await runProgram('ssh', ['-G', '-F', configFile, alias])
  expect(result.stderr).toBe('')
  expect(result.exitCode).toBe(0)
  const settings = new Map<string, string>()
  for (const line of result.stdout.split('\n')) {
    const space = line.indexOf(' ')
    if (space > 0 && !settings.has(line.slice(0, space)))
      settings.set(line.slice(0, space), line.slice(space + 1))
  }
  return settings
}

describe('renderSshConfig', () => {
  it('writes one block per workspace, sorted, after a header explaining unchecked host keys', () => {
    const text = renderSshConfig([
      { alias: 'nexus-web', endpoint: endpoint({ port: 32811, forwardAgent: false }) },
      { alias: 'nexus-api', endpoint: endpoint() },
    ])
    expect(text.startsWith('# Managed by nexus')).toBe(true)
    expect(text).toMatch(/host keys/i)
    expect(text.indexOf('Host nexus-api')).toBeLessThan(text.indexOf('Host nexus-web'))
    expect(text).toContain(
      [
        'Host nexus-api',
        '  HostName 127.0.0.1',
        '  Port 32801',
        '  User nexus',
        '  IdentityFile /home/dev/.nexus/keys/id_ed25519',
        '  IdentitiesOnly yes',
        '  ForwardAgent yes',
        '  StrictHostKeyChecking no',
        '  UserKnownHostsFile /dev/null',
        '  LogLevel ERROR',
      ].join('\n'),
    )
    expect(text).toContain('Host nexus-web\n  HostName 127.0.0.1\n  Port 32811')
    expect(text).toContain('  ForwardAgent no')
  })

  it('is only the header when there are no workspaces', () => {
    expect(renderSshConfig([])).not.toMatch(/^Host /m)
  })

  it('refuses aliases ssh would read as patterns, and duplicates', () => {
    expect(() => renderSshConfig([{ alias: 'web *', endpoint: endpoint() }])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    expect(() =>
      renderSshConfig([
        { alias: 'nexus-a', endpoint: endpoint() },
        { alias: 'nexus-a', endpoint: endpoint({ port: 1 }) },
      ]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })

  it('is read by OpenSSH as intended, even with spaces and % in the key path', async () => {
    const dir = await tempDir()
    const identity = join(dir, 'my keys', 'id 100%')
    const file = join(dir, 'ssh_config')
    await writeFile(
      file,
      renderSshConfig([{ alias: 'nexus-odd', endpoint: endpoint({ identity, port: 40123 }) }]),
    )
    const settings = await resolvedByOpenSsh(file, 'nexus-odd')
    expect(settings.get('hostname')).toBe('127.0.0.1')
    expect(settings.get('port')).toBe('40123')
    expect(settings.get('user')).toBe('nexus')
    // `ssh -G` prints IdentityFile before token expansion, which turns %% back into % (checked end to end against
    // a real sshd in client.test.ts).
    expect(settings.get('identityfile')).toBe(identity.replaceAll('%', '%%'))
    expect(settings.get('identitiesonly')).toBe('yes')
    expect(settings.get('forwardagent')).toBe('yes')
    expect(settings.get('stricthostkeychecking')).toBe('false')
    expect(settings.get('userknownhostsfile')).toBe('/dev/null')
  })
})

describe('writeSshConfig', () => {
  it('replaces $NEXUS_HOME/ssh_config with the rendered entries, readable only by the user', async () => {
    const home = await tempDir()
    const entries = [{ alias: 'nexus-api', endpoint: endpoint() }]
    const file = await writeSshConfig(home, entries)
    expect(file).toBe(sshPaths(home).sshConfig)
    expect(await readFile(file, 'utf8')).toBe(renderSshConfig(entries))
    expect((await stat(file)).mode & 0o777).toBe(0o600)

    await writeSshConfig(home, [])
    expect(await readFile(file, 'utf8')).not.toContain('nexus-api')
  })
})

describe('installInclude', () => {
  it('creates ~/.ssh and its config with the Include when neither exists, once', async () => {
    const home = await tempDir()
    const nexusHome = join(home, '.nexus')
    const userSshDir = join(home, '.ssh')

    const first = await installInclude(nexusHome, userSshDir)
    expect(first).toEqual({ file: join(userSshDir, 'config'), added: true })
    expect((await stat(userSshDir)).mode & 0o777).toBe(0o700)
    expect((await stat(first.file)).mode & 0o777).toBe(0o600)
    const content = await readFile(first.file, 'utf8')
    expect(content).toBe(`Include ${sshPaths(nexusHome).sshConfig}\n`)

    expect(await installInclude(nexusHome, userSshDir)).toEqual({ file: first.file, added: false })
    expect(await readFile(first.file, 'utf8')).toBe(content)
  })

  it('puts the Include above existing Host blocks, keeps them, and OpenSSH then sees the workspaces', async () => {
    const home = await tempDir()
    const nexusHome = join(home, 'nexus home')
    const userSshDir = join(home, '.ssh')
    await mkdir(userSshDir, { mode: 0o700 })
    const userConfig = join(userSshDir, 'config')
    const original = 'Host github.com\n  User git\n\nHost *\n  ServerAliveInterval 30\n'
    await writeFile(userConfig, original, { mode: 0o644 })
    await writeSshConfig(nexusHome, [{ alias: 'nexus-api', endpoint: endpoint({ port: 40999 }) }])

    expect((await installInclude(nexusHome, userSshDir)).added).toBe(true)
    const content = await readFile(userConfig, 'utf8')
    expect(content.split('\n')[0]).toBe(`Include "${sshPaths(nexusHome).sshConfig}"`)
    expect(content.endsWith(original)).toBe(true)
    expect((await stat(userConfig)).mode & 0o777).toBe(0o644)

    const settings = await resolvedByOpenSsh(userConfig, 'nexus-api')
    expect(settings.get('port')).toBe('40999')
    expect(settings.get('serveraliveinterval')).toBe('30')
    expect((await installInclude(nexusHome, userSshDir)).added).toBe(false)
  })

  it('moves an Include stranded inside a Host block to the top, leaving one copy', async () => {
    const home = await tempDir()
    const nexusHome = join(home, '.nexus')
    const userSshDir = join(home, '.ssh')
    await mkdir(userSshDir)
    const userConfig = join(userSshDir, 'config')
    const include = `Include ${sshPaths(nexusHome).sshConfig}`
    await writeFile(userConfig, `Host github.com\n  User git\n${include}\n`)

    expect((await installInclude(nexusHome, userSshDir)).added).toBe(true)
    const content = await readFile(userConfig, 'utf8')
    expect(content).toBe(`${include}\n\nHost github.com\n  User git\n`)
  })

  it('writes through a symlinked config instead of replacing the link', async () => {
    const home = await tempDir()
    const nexusHome = join(home, '.nexus')
    const userSshDir = join(home, '.ssh')
    const dotfiles = join(home, 'dotfiles')
    await mkdir(userSshDir)
    await mkdir(dotfiles)
    await writeFile(join(dotfiles, 'ssh_config'), 'Host box\n  User me\n')
    await symlink(join(dotfiles, 'ssh_config'), join(userSshDir, 'config'))

    await installInclude(nexusHome, userSshDir)
    expect((await lstat(join(userSshDir, 'config'))).isSymbolicLink()).toBe(true)
    expect((await readFile(join(dotfiles, 'ssh_config'), 'utf8')).split('\n')[0]).toBe(
      `Include ${sshPaths(nexusHome).sshConfig}`,
    )
  })
})
