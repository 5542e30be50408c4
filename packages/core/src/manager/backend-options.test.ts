import { describe, expect, it } from 'vitest'
import { recordableBackendOptions, withoutUrlCredentials } from './backend-options.js'

describe('backend options kept in the workspace record', () => {
  it('keeps every option as given, minus credentials inside a URL', () => {
    expect(
      recordableBackendOptions({
        image: 'registry.local/team/dev:1.2',
        region: 'eu',
        autoStop: 30,
        ephemeral: true,
        gitUrl: 'https://alice:ghp_secret@github.com/acme/app.git',
        gitBranch: 'main',
      }),
    ).toEqual({
      image: 'registry.local/team/dev:1.2',
      region: 'eu',
      autoStop: 30,
      ephemeral: true,
      gitUrl: 'https://github.com/acme/app.git',
      gitBranch: 'main',
    })
  })

  it('drops a token standing as the http user, keeps an ssh user without its password, leaves other values alone', () => {
    expect(withoutUrlCredentials('https://ghp_token@github.com/acme/app.git')).toBe(
      'https://github.com/acme/app.git',
    )
    expect(withoutUrlCredentials('ssh://git@example.com:2222/repo.git')).toBe(
      'ssh://git@example.com:2222/repo.git',
    )
    expect(withoutUrlCredentials('ssh://git:hunter2@example.com/repo.git')).toBe(
      'ssh://git@example.com/repo.git',
    )
    expect(withoutUrlCredentials('git@github.com:acme/app.git')).toBe('git@github.com:acme/app.git')
    expect(withoutUrlCredentials('nexus-base:bookworm')).toBe('nexus-base:bookworm')
    expect(withoutUrlCredentials('https://github.com/a@b/repo')).toBe('https://github.com/a@b/repo')
  })
})
