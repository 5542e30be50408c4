import type { IncomingMessage, ServerResponse } from 'node:http'

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

export function sendError(response: ServerResponse, status: number, error: string, message: string): void {
  sendJson(response, status, { error, message })
}

/** Writes NDJSON lines one by one, as the real API streams progress. */
export function sendNdjson(response: ServerResponse, lines: Array<Record<string, unknown>>): void {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' })
  for (const line of lines) response.write(`${JSON.stringify({ ...line, time: new Date().toISOString() })}\n`)
  response.end()
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(request)
  if (body.length === 0) return {}
  return JSON.parse(body.toString('utf8')) as Record<string, unknown>
}
