import type { Exchange, TraceEvent } from './exchange-recorder.js';

/** Mermaid takes `;` as the end of a statement and `#` as the start of an entity: both are written as entities. */
function escapeText(text: string): string {
  return text.replace(/[#;]/g, (character) => (character === '#' ? '#35;' : '#59;'));
}

/** Random identifiers (interaction ids, ACME ids) are cut short: they say nothing to a reader and widen the diagram. */
function shortenPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.length > 24 ? `${segment.slice(0, 8)}…` : segment))
    .join('/');
}

function requestLabel(exchange: Exchange): string {
  return `${exchange.method} ${shortenPath(exchange.path)}`;
}

function responseLabel(exchange: Exchange): string {
  if (exchange.failure !== undefined) return `no answer (${exchange.failure})`;
  const status = String(exchange.status ?? '?');
  return exchange.location === undefined ? status : `${status} → ${shortenPath(exchange.location)}`;
}

/** Participant ids: letters, digits and underscores, one per name. */
class ParticipantIds {
  readonly #ids = new Map<string, string>();
  readonly declarations: string[] = [];

  id(name: string): string {
    let id = this.#ids.get(name);
    if (id === undefined) {
      const base = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'participant';
      id = base;
      for (let n = 2; [...this.#ids.values()].includes(id); n++) id = `${base}${n}`;
      this.#ids.set(name, id);
      this.declarations.push(id === name ? `    participant ${id}` : `    participant ${id} as ${escapeText(name)}`);
    }
    return id;
  }
}

/**
 * A Mermaid `sequenceDiagram` of a journey's exchanges, in the order they
 * happened: each request as a solid arrow, its answer (status, and where a
 * redirect leads) as a dotted one, a request that got no answer with a
 * cross, and a note where each step of the journey begins.
 */
export function sequenceDiagram(events: readonly TraceEvent[]): string {
  const ids = new ParticipantIds();
  const lines: string[] = [];
  for (const event of events) {
    if (event.kind === 'step') {
      const from = ids.id(event.from);
      const to = ids.id(event.to);
      lines.push(`    Note over ${from === to ? from : `${from},${to}`}: ${escapeText(`${event.number}. ${event.action}`)}`);
    } else if (event.kind === 'request') {
      lines.push(`    ${ids.id(event.exchange.from)}->>${ids.id(event.exchange.to)}: ${escapeText(requestLabel(event.exchange))}`);
    } else {
      const arrow = event.exchange.failure === undefined ? '-->>' : '--x';
      lines.push(`    ${ids.id(event.exchange.to)}${arrow}${ids.id(event.exchange.from)}: ${escapeText(responseLabel(event.exchange))}`);
    }
  }
  return ['sequenceDiagram', ...ids.declarations, ...lines].join('\n');
}
