/** A minimal Server-Sent Events reader over fetch, for tests: frames, ids, comments, and bounded waits. */

export interface SseFrame {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

export interface SseClient {
  status: number;
  frames: SseFrame[];
  /** Resolves with the first frame (in arrival order, from the start) matching, or rejects after `timeoutMs`. */
  waitFor(match: (f: SseFrame) => boolean, what: string, timeoutMs?: number): Promise<SseFrame>;
  /** Frames of type `alert`, parsed. */
  alerts(): { id: string; type: string; alertId: string; countyId: string }[];
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            frames.push(...parseFrame(buffer.slice(0, end)));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
          }
          for (const w of waiters) w();
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    frames,
    waitFor(match, what, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const f = frames.find(match);
          if (!f) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(f);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    alerts: () =>
      frames
        .filter((f) => f.event === 'alert')
        .map((f) => {
          const e = JSON.parse(f.data ?? '{}') as { type: string; alert: { id: string; countyId: string } };
          return { id: f.id ?? '', type: e.type, alertId: e.alert.id, countyId: e.alert.countyId };
        }),
    close: () => abort.abort(),
  };
}

/** One block between blank lines: comment lines become their own frames, fields one frame. */
function parseFrame(block: string): SseFrame[] {
  const out: SseFrame[] = [];
  const frame: SseFrame = {};
  let fields = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      out.push({ comment: line.slice(1).trim() });
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event' || name === 'id') frame[name] = value;
    else if (name === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else continue;
    fields = true;
  }
  if (fields) out.push(frame);
  return out;
}
