import { createRequire } from 'node:module'
import type Dockerode from 'dockerode'

/**
 * dockerode's per-object classes, without dockerode's entry point. lib/docker.js requires lib/session.js, which
 * loads @grpc/grpc-js and protobufjs (~45 ms) for BuildKit sessions; a command that only touches one container,
 * network, image or volume needs none of it. These are the very classes Dockerode#getContainer() & co. construct
 * over the client's modem, so they behave the same. The files ship without types: the casts below pin each to the
 * @types/dockerode class it is, once, here.
 */

export type Modem = Dockerode['modem']

const require = createRequire(import.meta.url)
// docker-modem is taken from where dockerode itself resolves it, so the classes get the modem version they expect.
const requireFromDockerode = createRequire(require.resolve('dockerode'))

const Modem = requireFromDockerode('docker-modem') as new (options: Dockerode.DockerOptions) => Modem
const Container = require('dockerode/lib/container.js') as typeof Dockerode.Container
const Network = require('dockerode/lib/network.js') as typeof Dockerode.Network
const Image = require('dockerode/lib/image.js') as typeof Dockerode.Image
const Volume = require('dockerode/lib/volume.js') as typeof Dockerode.Volume

/** The connection exactly as `new Dockerode(options)` builds it. */
export function createModem(options: Dockerode.DockerOptions): Modem {
  const modem = new Modem(options)
  modem.Promise = options.Promise ?? Promise
  return modem
}

export const containerOf = (modem: Modem, id: string): Dockerode.Container => new Container(modem, id)
export const networkOf = (modem: Modem, id: string): Dockerode.Network => new Network(modem, id)
export const imageOf = (modem: Modem, name: string): Dockerode.Image => new Image(modem, name)
export const volumeOf = (modem: Modem, name: string): Dockerode.Volume => new Volume(modem, name)

/**
 * Docker#listContainers as dockerode writes it (same path, options and status codes): pause, resume and stop list a
 * workspace's containers, and they are hot enough that loading the whole client for this one call shows.
 */
export function listContainersOver(
  modem: Modem,
  options: Dockerode.ContainerListOptions,
): Promise<Dockerode.ContainerInfo[]> {
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        path: '/containers/json?',
        method: 'GET',
        options,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as Dockerode.ContainerInfo[])),
    )
  })
}

/**
 * How many events matching `filters` the engine recorded between two unix times. With `until` given the engine
 * answers once and closes, so the body is either one JSON object or several, one a line.
 */
export function countEventsOver(
  modem: Modem,
  options: { since: number; until: string; filters: Record<string, string[]> },
): Promise<number> {
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        path: '/events?',
        method: 'GET',
        options,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (error: unknown, data: unknown) => {
        if (error) return reject(error)
        if (Buffer.isBuffer(data)) {
          resolve(
            data
              .toString('utf8')
              .split('\n')
              .filter((line) => line.trim()).length,
          )
        } else resolve(typeof data === 'object' && data !== null ? 1 : 0)
      },
    )
  })
}

/** The full client (and with it the BuildKit session code), over the same connection. */
export async function loadDockerode(modem: Modem): Promise<Dockerode> {
  const { default: Docker } = await import('dockerode')
  // lib/docker.js takes a ready modem as `opts.modem`; @types/dockerode does not list that option.
  return new Docker({ modem } as Dockerode.DockerOptions)
}
