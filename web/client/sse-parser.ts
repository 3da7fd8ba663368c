/** An incremental text/event-stream parser (WHATWG HTML §9.2.6), fed chunks as they arrive. */

export interface SseMessage {
  event: string;
  data: string;
  /** The last event ID after this message, as the spec keeps it across messages. */
  lastEventId: string;
}

export interface SseParser {
  push(chunk: string): void;
  /** Milliseconds the server asked to wait before reconnecting, if it did. */
  readonly retryMs: number | undefined;
}

export function createSseParser(onMessage: (m: SseMessage) => void, lastEventId = ''): SseParser {
  let buffer = '';
  let first = true;
  let event = '';
  let data: string[] = [];
  let retryMs: number | undefined;

  const dispatch = () => {
    // A block without data lines is not an event (but its id still counts, per the spec).
    if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), lastEventId });
    event = '';
    data = [];
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return; // a comment: servers send these as keep-alives
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
  };

  return {
    push(chunk) {
      buffer += chunk;
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      // Lines end in CRLF, LF or CR; a CR at the very end may be half of a CRLF still on its way.
      for (;;) {
        const m = /\r\n|\n|\r/.exec(buffer);
        if (!m || (m[0] === '\r' && m.index === buffer.length - 1)) break;
        line(buffer.slice(0, m.index));
        buffer = buffer.slice(m.index + m[0].length);
      }
    },
    get retryMs() {
      return retryMs;
    },
  };
}
