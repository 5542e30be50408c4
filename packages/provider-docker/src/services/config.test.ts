import { describe, expect, it } from 'vitest'
import { expectNexusError } from '@nexus/core/testing'
import { durationToNanos, parseServices, startLevels } from './config.js'

describe('services config', () => {
  it('reads compose-style entries: command, env in either form, volumes, healthcheck', () => {
    const [db, queue, cache] = parseServices(
      {
        services: {
          db: {
            image: 'postgres:16',
            env: { POSTGRES_PASSWORD: 'pw', PORT: 5432 },
            volumes: ['pgdata:/var/lib/postgresql/data', './seed:/docker-entrypoint-initdb.d:ro'],
            healthcheck: {
              test: 'pg_isready',
              interval: '1m30s',
              timeout: '500ms',
              retries: 5,
              start_period: 2,
            },
          },
          queue: {
            image: 'rabbitmq:3',
            healthcheck: { test: ['rabbitmq-diagnostics', 'ping'], interval_seconds: 2.5 },
          },
          cache: {
            image: 'redis:7',
            command: 'redis-server --save ""',
            environment: ['MODE=dev'],
            depends_on: { db: { condition: 'service_healthy' } },
          },
        },
      },
      '/work/repo',
    )
    expect(db).toEqual({
      name: 'db',
      image: 'postgres:16',
      command: undefined,
      env: { POSTGRES_PASSWORD: 'pw', PORT: '5432' },
      mounts: [
        { kind: 'volume', volume: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
        { kind: 'bind', source: '/work/repo/seed', target: '/docker-entrypoint-initdb.d', readOnly: true },
      ],
      dependsOn: [],
      healthcheck: {
        Test: ['CMD-SHELL', 'pg_isready'],
        Interval: 90e9,
        Timeout: 500e6,
        Retries: 5,
        StartPeriod: 2e9,
      },
    })
    expect(queue?.healthcheck).toEqual({ Test: ['CMD', 'rabbitmq-diagnostics', 'ping'], Interval: 2.5e9 })
    expect(cache).toMatchObject({
      command: ['/bin/sh', '-c', 'redis-server --save ""'],
      env: { MODE: 'dev' },
      dependsOn: ['db'],
    })
  })

  it('orders services into levels by depends_on', () => {
    const services = parseServices(
      {
        services: {
          web: { image: 'w', depends_on: ['api'] },
          api: { image: 'a', depends_on: ['db', 'cache'] },
          db: { image: 'd' },
          cache: { image: 'c' },
        },
      },
      '/r',
    )
    expect(startLevels(services).map((level) => level.map((s) => s.name))).toEqual([
      ['db', 'cache'],
      ['api'],
      ['web'],
    ])
  })

  it('rejects cycles, unknown dependencies, bad names and bad durations with CONFIG_INVALID', async () => {
    await expectNexusError(
      () =>
        parseServices(
          { services: { a: { image: 'x', depends_on: ['b'] }, b: { image: 'y', depends_on: ['a'] } } },
          '/r',
        ),
      'CONFIG_INVALID',
      'a cycle',
    )
    await expectNexusError(
      () => parseServices({ services: { a: { image: 'x', depends_on: ['ghost'] } } }, '/r'),
      'CONFIG_INVALID',
      'an unknown dependency',
    )
    await expectNexusError(
      () => parseServices({ services: { 'Bad Name': { image: 'x' } } }, '/r'),
      'CONFIG_INVALID',
      'a bad service name',
    )
    await expectNexusError(
      () => parseServices({ services: { a: {} } }, '/r'),
      'CONFIG_INVALID',
      'a service without image',
    )
    await expectNexusError(
      () => parseServices({ services: { a: { image: 'x', volumes: ['data'] } } }, '/r'),
      'CONFIG_INVALID',
      'a volume without target',
    )
    await expectNexusError(
      () => durationToNanos('5 minutes', 'a.healthcheck.interval'),
      'CONFIG_INVALID',
      'a prose duration',
    )
  })
})
