// A reader for the Grafana Alloy configuration syntax (blocks, attributes, and the literal,
// reference and call expressions the repository's alloy/config.alloy uses), so the tests can
// check what the file says without an Alloy binary: which components exist, what they are wired
// to, which labels they make. Anything it does not understand is an error, never skipped.

export type AlloyValue =
  | string
  | number
  | boolean
  | null
  | AlloyValue[]
  | { [key: string]: AlloyValue }
  | AlloyRef
  | AlloyCall;
export interface AlloyRef {
  ref: string;
}
export interface AlloyCall {
  call: string;
  args: AlloyValue[];
}
export interface AlloyBlock {
  /** Dotted block name: `loki.write`, `rule`, `stage.json`. */
  name: string;
  label?: string;
  attributes: Record<string, AlloyValue>;
  blocks: AlloyBlock[];
}

type Token = { kind: 'ident' | 'string' | 'number' | 'punct'; text: string; value?: string | number; at: number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unterminated comment at ${i}`);
      i = end + 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\n') throw new Error(`newline in string at ${i}`);
        if (src[j] === '\\') {
          const e = src[++j];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
          if (e === undefined || !(e in map)) throw new Error(`unknown escape \\${e} at ${j}`);
          out += map[e];
        } else out += src[j];
      }
      if (j >= src.length) throw new Error(`unterminated string at ${i}`);
      tokens.push({ kind: 'string', text: src.slice(i, j + 1), value: out, at: i });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new Error(`unterminated raw string at ${i}`);
      tokens.push({ kind: 'string', text: src.slice(i, end + 1), value: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      tokens.push({ kind: 'number', text: num[0], value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], at: i });
      i += id[0].length;
      continue;
    }
    if ('{}[]()=,.'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
      continue;
    }
    throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
  }
  return tokens;
}

export function parseAlloy(src: string): AlloyBlock[] {
  const tokens = tokenize(src);
  let p = 0;
  const peek = (o = 0) => tokens[p + o];
  const fail = (what: string): never => {
    const t = peek();
    throw new Error(`expected ${what} at ${t ? `${t.at} (${t.text})` : 'end of file'}`);
  };
  const take = (text: string) =>
    peek()?.text === text && peek()?.kind !== 'string' ? tokens[p++] : fail(JSON.stringify(text));
  const ident = () => (peek()?.kind === 'ident' ? tokens[p++]!.text : fail('a name'));
  const dotted = () => {
    let name = ident();
    while (peek()?.text === '.' && peek()?.kind === 'punct') {
      p++;
      name += `.${ident()}`;
    }
    return name;
  };

  /** The comma-separated items before `close` (a trailing comma allowed), then `close` itself. */
  function listUntil<T>(close: string, item: () => T): T[] {
    const items: T[] = [];
    while (peek()?.text !== close) {
      items.push(item());
      if (peek()?.text === ',') p++;
      else break;
    }
    take(close);
    return items;
  }

  function expr(): AlloyValue {
    const t = peek() ?? fail('a value');
    if (t.kind === 'string' || t.kind === 'number') {
      p++;
      return t.value!;
    }
    if (t.kind === 'punct' && t.text === '[') {
      p++;
      return listUntil(']', expr);
    }
    if (t.kind === 'punct' && t.text === '{') {
      p++;
      const entries = listUntil('}', (): [string, AlloyValue] => {
        const k = peek()?.kind === 'string' ? String(tokens[p++]!.value) : ident();
        take('=');
        return [k, expr()];
      });
      return Object.fromEntries(entries);
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') {
        p++;
        return t.text === 'true';
      }
      if (t.text === 'null') {
        p++;
        return null;
      }
      const name = dotted();
      if (peek()?.text === '(') {
        p++;
        return { call: name, args: listUntil(')', expr) };
      }
      return { ref: name };
    }
    return fail('a value');
  }

  function body(end: string | null): { attributes: Record<string, AlloyValue>; blocks: AlloyBlock[] } {
    const attributes: Record<string, AlloyValue> = {};
    const blocks: AlloyBlock[] = [];
    while (end === null ? p < tokens.length : peek()?.text !== end) {
      const name = dotted();
      if (peek()?.text === '=' && peek()?.kind === 'punct') {
        if (name.includes('.')) fail('an attribute name without dots');
        if (name in attributes) throw new Error(`attribute ${name} set twice`);
        p++;
        attributes[name] = expr();
        continue;
      }
      const label = peek()?.kind === 'string' ? String(tokens[p++]!.value) : undefined;
      take('{');
      const inner = body('}');
      take('}');
      blocks.push({ name, ...(label === undefined ? {} : { label }), ...inner });
    }
    return { attributes, blocks };
  }

  const top = body(null);
  if (Object.keys(top.attributes).length > 0)
    throw new Error(`attributes outside a block: ${Object.keys(top.attributes).join(', ')}`);
  return top.blocks;
}

/** Every reference (`a.b.c`) anywhere in a value or block. */
export function references(v: AlloyValue | AlloyBlock): string[] {
  if (v === null || typeof v !== 'object') return [];
  if (Array.isArray(v)) return v.flatMap(references);
  if ('ref' in v && typeof v.ref === 'string') return [v.ref];
  if ('call' in v && 'args' in v && Array.isArray(v.args)) return v.args.flatMap(references);
  if ('attributes' in v && 'blocks' in v && Array.isArray(v.blocks)) {
    const b = v as AlloyBlock;
    return [...Object.values(b.attributes).flatMap(references), ...b.blocks.flatMap(references)];
  }
  return Object.values(v as Record<string, AlloyValue>).flatMap(references);
}
