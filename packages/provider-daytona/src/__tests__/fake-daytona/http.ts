import type { IncomingMessage, ServerResponse } from 'node:http'

export interface FakeRequest {
  method: string
  url: URL
  headers: IncomingMessage['headers']
  body: Buffer
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** Daytona's error envelope. */
export function fail(res: ServerResponse, status: number, message: string, code?: string): void {
  json(res, status, {
    statusCode: status,
    message,
    error: code ?? (status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : 'Bad Request'),
  })
}

export function bodyJson<T>(request: FakeRequest): T {
  return (request.body.length ? JSON.parse(request.body.toString('utf8')) : {}) as T
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
