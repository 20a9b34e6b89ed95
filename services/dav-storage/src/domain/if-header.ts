/**
 * The `If` request header (RFC 4918 §10.4), parsed and evaluated here
 * rather than by the WebDAV library, whose own evaluation is unsound.
 *
 *   If = ( 1*No-tag-list | 1*Tagged-list )
 *   Tagged-list = Resource-Tag 1*List     List = "(" 1*Condition ")"
 *   Condition = ["Not"] ( State-token | "[" entity-tag "]" )
 */
export interface IfCondition {
  readonly negated: boolean;
  readonly kind: 'state-token' | 'etag';
  readonly value: string;
}

export interface IfList {
  /** The tagged resource (a URL as sent); absent: the request URL (§10.4.2). */
  readonly resource: string | undefined;
  readonly conditions: readonly IfCondition[];
}

export class IfHeaderError extends Error {
  override readonly name = 'IfHeaderError';
  readonly code = 'malformed-if';
}

function readUntil(text: string, from: number, end: string): [string, number] {
  const close = text.indexOf(end, from);
  if (close === -1) throw new IfHeaderError(`the If header has an unterminated ${end === '>' ? 'URL' : 'entity tag'}`);
  return [text.slice(from, close), close + 1];
}

/** Parses an `If` header; anything outside the grammar is a IfHeaderError (answered 400). */
export function parseIfHeader(text: string): IfList[] {
  const lists: IfList[] = [];
  let tag: string | undefined;
  let conditions: IfCondition[] | undefined;
  let negated = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') i++;
    else if (c === '(' && !conditions) {
      conditions = [];
      i++;
    } else if (c === ')' && conditions && !negated) {
      if (conditions.length === 0) throw new IfHeaderError('an If list has no condition');
      lists.push({ resource: tag, conditions });
      conditions = undefined;
      i++;
    } else if (c === '<') {
      const [value, next] = readUntil(text, i + 1, '>');
      if (conditions) conditions.push({ negated, kind: 'state-token', value });
      else tag = value;
      negated = false;
      i = next;
    } else if (c === '[' && conditions) {
      const [value, next] = readUntil(text, i + 1, ']');
      conditions.push({ negated, kind: 'etag', value });
      negated = false;
      i = next;
    } else if (conditions && !negated && text.slice(i, i + 3).toLowerCase() === 'not') {
      negated = true;
      i += 3;
    } else throw new IfHeaderError('the If header does not follow RFC 4918 §10.4');
  }
  if (conditions || lists.length === 0) throw new IfHeaderError('the If header has no complete list');
  return lists;
}

/** What evaluating a condition needs to know about a resource (undefined: the request URL). */
export interface IfState {
  holdsLock(resource: string | undefined, token: string): Promise<boolean>;
  hasEtag(resource: string | undefined, etag: string): Promise<boolean>;
}

/** True when any list holds, a list holding when all its conditions do (§10.4.3). */
export async function evaluateIf(lists: readonly IfList[], state: IfState): Promise<boolean> {
  for (const list of lists) {
    let holds = true;
    for (const condition of list.conditions) {
      const matches =
        condition.kind === 'etag'
          ? await state.hasEtag(list.resource, condition.value)
          : await state.holdsLock(list.resource, condition.value);
      if (matches === condition.negated) {
        holds = false;
        break;
      }
    }
    if (holds) return true;
  }
  return false;
}

/** The lock tokens a request submits in its `If` lists (not negated). */
export function submittedStateTokens(lists: readonly IfList[]): string[] {
  return lists.flatMap((list) => list.conditions.filter((c) => c.kind === 'state-token' && !c.negated).map((c) => c.value));
}
