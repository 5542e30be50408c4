import { describe, expect, it } from 'vitest'
import { expectNexusError } from '@nexus/core/testing'
import { DEFAULT_BASE_IMAGE, chooseImage, parseDockerConfig, stopGraceSeconds } from './config.js'

describe('backends.docker config', () => {
  it('defaults to debian:bookworm-slim, strict security, the local volume driver', () => {
    expect(parseDockerConfig({})).toEqual({
      baseImage: DEFAULT_BASE_IMAGE,
      image: undefined,
      dockerfile: undefined,
      socket: undefined,
      host: undefined,
      noNewPrivileges: true,
      capAdd: [],
      volumeDriver: 'local',
      startTimeoutSeconds: 60,
      networkPool: '10.213.0.0/16',
    })
    expect(DEFAULT_BASE_IMAGE).toBe('debian:bookworm-slim')
  })

  it('reads every setting', () => {
    const config = parseDockerConfig({
      base_image: 'ubuntu:24.04',
      socket: '/run/docker.sock',
      no_new_privileges: false,
      cap_add: ['CAP_NET_ADMIN', 'SYS_PTRACE'],
      volume_driver: 'zfs',
      start_timeout_seconds: 5,
      network_pool: '10.99.0.0/20',
    })
    expect(config).toMatchObject({
      baseImage: 'ubuntu:24.04',
      socket: '/run/docker.sock',
      noNewPrivileges: false,
      capAdd: ['NET_ADMIN', 'SYS_PTRACE'],
      volumeDriver: 'zfs',
      startTimeoutSeconds: 5,
      networkPool: '10.99.0.0/20',
    })
    expect(() => parseDockerConfig({ network_pool: '10.99.0.0/30' })).toThrow(/network_pool/)
  })

  it('rejects wrong types, unknown keys and contradictions with CONFIG_INVALID', async () => {
    await expectNexusError(
      () => parseDockerConfig({ base_image: 3 }),
      'CONFIG_INVALID',
      'a numeric base_image',
    )
    await expectNexusError(() => parseDockerConfig({ base_imag: 'x' }), 'CONFIG_INVALID', 'a misspelt key')
    await expectNexusError(
      () => parseDockerConfig({ image: 'a', dockerfile: 'b' }),
      'CONFIG_INVALID',
      'both image and dockerfile',
    )
    await expectNexusError(
      () => parseDockerConfig({ socket: '/a', host: 'tcp://b' }),
      'CONFIG_INVALID',
      'both socket and host',
    )
    await expectNexusError(
      () => parseDockerConfig({ cap_add: ['net admin'] }),
      'CONFIG_INVALID',
      'a malformed capability',
    )
    await expectNexusError(
      () => parseDockerConfig({ start_timeout_seconds: 0 }),
      'CONFIG_INVALID',
      'a zero timeout',
    )
  })

  it('lets flags choose the image over config', async () => {
    const config = parseDockerConfig({ image: 'team/dev:1' })
    expect(chooseImage(config, {})).toEqual({ kind: 'image', reference: 'team/dev:1' })
    expect(chooseImage(config, { dockerfile: '.devcontainer/Dockerfile' })).toEqual({
      kind: 'dockerfile',
      reference: '.devcontainer/Dockerfile',
    })
    expect(chooseImage(parseDockerConfig({}), { base_image: 'alpine:3' })).toEqual({
      kind: 'base',
      reference: 'alpine:3',
    })
    await expectNexusError(() => chooseImage(config, { image: 42 }), 'INVALID_ARGUMENT', 'a numeric --image')
  })

  it('reads the stop grace period from lifecycle, defaulting to 10 s', () => {
    expect(stopGraceSeconds({})).toBe(10)
    expect(stopGraceSeconds({ lifecycle: { stop_grace_seconds: 3 } })).toBe(3)
  })
})
