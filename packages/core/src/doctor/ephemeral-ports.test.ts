import { describe, expect, it } from 'vitest'
import { checkEphemeralOverlap, parsePortList, readKernelPortSettings } from './ephemeral-ports.js'

const LOCAL = { start: 32800, end: 34999 }

describe('workspace ports and the kernel ephemeral range', () => {
  it('reads the kernel settings in their /proc formats', async () => {
    const files: Record<string, string> = {
      '/proc/sys/net/ipv4/ip_local_port_range': '32768\t60999\n',
      '/proc/sys/net/ipv4/ip_local_reserved_ports': '32800-34999,40000\n',
    }
    const read = async (path: string) => files[path] ?? Promise.reject(new Error('ENOENT'))
    expect(await readKernelPortSettings(read)).toEqual({
      ephemeral: { start: 32768, end: 60999 },
      reserved: [
        { start: 32800, end: 34999 },
        { start: 40000, end: 40000 },
      ],
    })
    expect(await readKernelPortSettings(() => Promise.reject(new Error('ENOENT')))).toBeUndefined()
    expect(parsePortList('\n')).toEqual([])
  })

  it('warns when the range is open to outgoing connections, naming the sysctl that reserves it', () => {
    const check = checkEphemeralOverlap(LOCAL, { ephemeral: { start: 32768, end: 60999 }, reserved: [] })
    expect(check).toMatchObject({
      status: 'warn',
      message: expect.stringContaining(
        "2200 workspace ports in 32800-34999 lie in the kernel's ephemeral range 32768-60999",
      ),
      fix: expect.stringContaining('sysctl -w net.ipv4.ip_local_reserved_ports=32800-34999'),
    })
  })

  it('counts only the ports left unreserved', () => {
    const check = checkEphemeralOverlap(LOCAL, {
      ephemeral: { start: 32768, end: 60999 },
      reserved: [{ start: 32800, end: 33999 }],
    })
    expect(check.message).toMatch(/^1000 workspace ports/)
  })

  it('is fine when the range is reserved, outside the ephemeral range, or the kernel cannot be read', () => {
    const reserved = { ephemeral: { start: 32768, end: 60999 }, reserved: [LOCAL] }
    expect(checkEphemeralOverlap(LOCAL, reserved).status).toBe('ok')
    const elsewhere = { ephemeral: { start: 49152, end: 65535 }, reserved: [] }
    expect(checkEphemeralOverlap(LOCAL, elsewhere).status).toBe('ok')
    expect(checkEphemeralOverlap(LOCAL, undefined)).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^Not checked/),
    })
  })
})
