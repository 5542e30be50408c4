/** The message shapes of the SDK's NDJSON streams (checkpoint, restore, services), read structurally. */
export interface StreamEvent {
  type: string
  data?: string
  error?: string
}

/**
 * Reads a progress stream to its end. The API reports failures inside the stream (`{type:"error"}`) with a 200
 * status, so stopping early or trusting the status would report a failed checkpoint or restore as done.
 */
export async function drainStream(
  stream: AsyncIterable<StreamEvent>,
): Promise<{ events: StreamEvent[]; errors: string[] }> {
  const events: StreamEvent[] = []
  const errors: string[] = []
  for await (const event of stream) {
    events.push(event)
    if (event.type === 'error') errors.push(event.error ?? event.data ?? 'unknown error')
  }
  return { events, errors }
}
