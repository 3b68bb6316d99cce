/**
 * Reads V8 heap snapshots (`v8.writeHeapSnapshot`) and says what grew between two of them taken
 * in the same process (object ids are stable across a process's snapshots):
 * - self size and count per class of object (constructor name, or `(string)`, `(closure)`, …);
 * - the collections that grew: every `Map`, `Set` and `Array` whose backing store grew, named by
 *   what holds it (`ChargeLedger.charges`), with its backing store's size before and after.
 *
 * Snapshots of a large heap are larger than the longest string V8 can hold, so the file is read
 * in chunks by a scanner that knows the snapshot's layout (a small `snapshot` header, then flat
 * number arrays `nodes` and `edges`, then `strings`), not by `JSON.parse`.
 */
import { closeSync, openSync, readSync } from 'node:fs';

interface SnapshotMeta {
  readonly node_fields: readonly string[];
  readonly node_types: readonly [readonly string[], ...unknown[]];
  readonly edge_fields: readonly string[];
  readonly edge_types: readonly [readonly string[], ...unknown[]];
}

/** A parsed heap snapshot: the flat arrays, as V8 writes them. */
export interface HeapSnapshot {
  readonly nodes: Uint32Array;
  readonly edges: Uint32Array;
  readonly strings: readonly string[];
  readonly nodeFieldCount: number;
  readonly edgeFieldCount: number;
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
  readonly field: { readonly type: number; readonly name: number; readonly id: number; readonly selfSize: number; readonly edgeCount: number };
  readonly edgeField: { readonly type: number; readonly nameOrIndex: number; readonly toNode: number };
}

const CHUNK = 16 * 1024 * 1024;

class ByteReader {
  private buffer = Buffer.alloc(0);
  private position = 0;
  private readonly fd: number;

  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }

  /** The next byte, or -1 at the end of the file. */
  next(): number {
    if (this.position >= this.buffer.length) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const read = readSync(this.fd, chunk, 0, CHUNK, null);
      if (read === 0) return -1;
      this.buffer = chunk.subarray(0, read);
      this.position = 0;
    }
    return this.buffer[this.position++] as number;
  }

  close(): void {
    closeSync(this.fd);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;

/** Reads bytes up to and including the next `"<key>":[`; returns the key, or null at the end. */
function nextArrayKey(reader: ByteReader, header: number[] | null): string | null {
  let key: number[] = [];
  let inString = false;
  let afterKey = false;
  for (let byte = reader.next(); byte !== -1; byte = reader.next()) {
    header?.push(byte);
    if (inString) {
      if (byte === QUOTE) {
        inString = false;
        afterKey = true;
      } else key.push(byte);
    } else if (byte === QUOTE) {
      inString = true;
      key = [];
    } else if (byte === OPEN && afterKey) {
      return Buffer.from(key).toString('utf8');
    } else if (byte !== 0x3a && byte !== 0x20 && byte !== 0x0a) {
      afterKey = false;
    }
  }
  return null;
}

/** Parses the rest of a number array (after its `[`) into `target` (or nowhere); nested arrays are skipped. */
function readNumbers(reader: ByteReader, target: Uint32Array | null): number {
  let count = 0;
  let value = 0;
  let digits = false;
  let depth = 1;
  for (let byte = reader.next(); byte !== -1; byte = reader.next()) {
    if (byte >= ZERO && byte <= NINE) {
      value = value * 10 + (byte - ZERO);
      digits = true;
      continue;
    }
    if (digits) {
      if (target !== null && count < target.length) target[count] = value;
      count += 1;
      value = 0;
      digits = false;
    }
    if (byte === OPEN) depth += 1;
    else if (byte === CLOSE && --depth === 0) return count;
  }
  return count;
}

function readStrings(reader: ByteReader): string[] {
  const strings: string[] = [];
  let token: number[] | null = null;
  let escaped = false;
  for (let byte = reader.next(); byte !== -1; byte = reader.next()) {
    if (token === null) {
      if (byte === QUOTE) token = [];
      else if (byte === CLOSE) break;
      continue;
    }
    if (escaped) {
      token.push(byte);
      escaped = false;
    } else if (byte === BACKSLASH) {
      token.push(byte);
      escaped = true;
    } else if (byte === QUOTE) {
      strings.push(JSON.parse(`"${Buffer.from(token).toString('utf8')}"`) as string);
      token = null;
    } else token.push(byte);
  }
  return strings;
}

/** Parses the heap snapshot in `file`. */
export function readHeapSnapshot(file: string): HeapSnapshot {
  const reader = new ByteReader(file);
  try {
    const header: number[] = [];
    let key = nextArrayKey(reader, header);
    while (key !== null && key !== 'nodes') key = nextArrayKey(reader, header);
    // The `snapshot` object (meta and counts) comes before the first array we read.
    const text = Buffer.from(header).toString('utf8');
    const start = text.indexOf('"snapshot"');
    const metaText = text.slice(start, text.lastIndexOf('"nodes"')).replace(/,\s*$/, '');
    const snapshot = JSON.parse(`{${metaText}}`) as { snapshot: { meta: SnapshotMeta; node_count: number; edge_count: number } };
    const meta = snapshot.snapshot.meta;
    const nodes = new Uint32Array(snapshot.snapshot.node_count * meta.node_fields.length);
    const edges = new Uint32Array(snapshot.snapshot.edge_count * meta.edge_fields.length);
    let strings: string[] = [];
    while (key !== null) {
      if (key === 'nodes') readNumbers(reader, nodes);
      else if (key === 'edges') readNumbers(reader, edges);
      else if (key === 'strings') strings = readStrings(reader);
      else readNumbers(reader, null);
      key = nextArrayKey(reader, null);
    }
    const nf = (name: string): number => meta.node_fields.indexOf(name);
    const ef = (name: string): number => meta.edge_fields.indexOf(name);
    return {
      nodes,
      edges,
      strings,
      nodeFieldCount: meta.node_fields.length,
      edgeFieldCount: meta.edge_fields.length,
      nodeTypes: meta.node_types[0],
      edgeTypes: meta.edge_types[0],
      field: { type: nf('type'), name: nf('name'), id: nf('id'), selfSize: nf('self_size'), edgeCount: nf('edge_count') },
      edgeField: { type: ef('type'), nameOrIndex: ef('name_or_index'), toNode: ef('to_node') },
    };
  } finally {
    reader.close();
  }
}

/** Self size and count of one class of objects. */
export interface ClassTotal {
  readonly name: string;
  readonly count: number;
  readonly bytes: number;
}

function className(s: HeapSnapshot, node: number): string {
  const type = s.nodeTypes[s.nodes[node + s.field.type] as number] ?? '?';
  const name = s.strings[s.nodes[node + s.field.name] as number] ?? '';
  if (type === 'object' || type === 'native') return name.length > 60 ? `${name.slice(0, 57)}...` : name;
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return '(string)';
  if (type === 'closure') return '(closure)';
  if (type === 'code') return '(compiled code)';
  return `(${type}) ${name.length > 40 ? `${name.slice(0, 37)}...` : name}`;
}

/** Self size and count per class. */
export function classTotals(s: HeapSnapshot): Map<string, ClassTotal> {
  const totals = new Map<string, ClassTotal>();
  for (let node = 0; node < s.nodes.length; node += s.nodeFieldCount) {
    const name = className(s, node);
    const total = totals.get(name) ?? { name, count: 0, bytes: 0 };
    totals.set(name, { name, count: total.count + 1, bytes: total.bytes + (s.nodes[node + s.field.selfSize] as number) });
  }
  return totals;
}

/** A collection (`Map`, `Set`, `Array`) and the size of its backing store. */
export interface Collection {
  readonly id: number;
  readonly kind: string;
  /** What holds it: `<holder class>.<property>` (the first named holder found). */
  readonly label: string;
  readonly backingBytes: number;
}

/** Every `Map`, `Set` and `Array` whose backing store is at least `minBytes`, labelled by its holder. */
export function collections(s: HeapSnapshot, minBytes = 256 * 1024): Map<number, Collection> {
  const { nodes, edges, nodeFieldCount: NF, edgeFieldCount: EF } = s;
  const objectType = s.nodeTypes.indexOf('object');
  const found = new Map<number, { node: number; kind: string; bytes: number }>();
  let edge = 0;
  for (let node = 0; node < nodes.length; node += NF) {
    const edgeCount = nodes[node + s.field.edgeCount] as number;
    const kind = s.strings[nodes[node + s.field.name] as number];
    if (nodes[node + s.field.type] === objectType && (kind === 'Map' || kind === 'Set' || kind === 'Array')) {
      let bytes = 0;
      for (let e = edge; e < edge + edgeCount * EF; e += EF) {
        const edgeName = s.edgeTypes[edges[e + s.edgeField.type] as number] === 'element' ? '' : s.strings[edges[e + s.edgeField.nameOrIndex] as number];
        if (edgeName === 'table' || edgeName === 'elements') bytes += nodes[(edges[e + s.edgeField.toNode] as number) + s.field.selfSize] as number;
      }
      if (bytes >= minBytes) found.set(node, { node, kind, bytes });
    }
    edge += edgeCount * EF;
  }
  // Name each by its holder: one pass over all edges, keeping the first named (property or internal) edge to it.
  const labels = new Map<number, string>();
  edge = 0;
  for (let node = 0; node < nodes.length; node += NF) {
    const edgeCount = nodes[node + s.field.edgeCount] as number;
    for (let e = edge; e < edge + edgeCount * EF; e += EF) {
      const to = edges[e + s.edgeField.toNode] as number;
      if (!found.has(to) || labels.has(to)) continue;
      const type = s.edgeTypes[edges[e + s.edgeField.type] as number];
      if (type === 'property' || type === 'internal' || type === 'context') {
        labels.set(to, `${className(s, node)}.${s.strings[edges[e + s.edgeField.nameOrIndex] as number] ?? '?'}`);
      }
    }
    edge += edgeCount * EF;
  }
  const out = new Map<number, Collection>();
  for (const [node, x] of found) {
    const id = nodes[node + s.field.id] as number;
    out.set(id, { id, kind: x.kind, label: labels.get(node) ?? '(unnamed holder)', backingBytes: x.bytes });
  }
  return out;
}

/** Bytes of new objects held, directly or through collections and plain objects, by one named holder. */
export interface HolderGrowth {
  /** `<class>.<property>` of the first holder up the retainer chain that is an instance of a named class. */
  readonly holder: string;
  readonly objects: number;
  readonly bytes: number;
}

const ANONYMOUS_HOLDERS = new Set(['Object', 'Map', 'Set', 'Array', '(array) ', '(string)', '(closure)']);

/**
 * Objects of `after` that did not exist in `before`, summed by holder: each new object's first
 * strong retainer is followed up (through arrays, `Map`/`Set` tables, plain objects, at most
 * `maxDepth` steps) to the first instance of a named class, and the object's self size is counted
 * under that class and the property it is held by (`ChargeLedger.charges`).
 */
export function growthByHolder(before: HeapSnapshot, after: HeapSnapshot, maxDepth = 8): HolderGrowth[] {
  const s = after;
  const { nodes, edges, nodeFieldCount: NF, edgeFieldCount: EF } = s;
  const existed = new Set<number>();
  for (let node = 0; node < before.nodes.length; node += before.nodeFieldCount) existed.add(before.nodes[node + before.field.id] as number);
  // The first strong (not weak, not shortcut) retainer of every node: its index and the edge's name.
  const count = nodes.length / NF;
  const retainer = new Int32Array(count).fill(-1);
  const retainerEdge = new Int32Array(count).fill(-1);
  const weak = s.edgeTypes.indexOf('weak');
  const shortcut = s.edgeTypes.indexOf('shortcut');
  let edge = 0;
  for (let node = 0; node < nodes.length; node += NF) {
    const edgeCount = nodes[node + s.field.edgeCount] as number;
    for (let e = edge; e < edge + edgeCount * EF; e += EF) {
      const type = edges[e + s.edgeField.type] as number;
      if (type === weak || type === shortcut) continue;
      const to = (edges[e + s.edgeField.toNode] as number) / NF;
      if (retainer[to] === -1) {
        retainer[to] = node;
        retainerEdge[to] = e;
      }
    }
    edge += edgeCount * EF;
  }
  const edgeName = (e: number): string => {
    const type = s.edgeTypes[edges[e + s.edgeField.type] as number];
    return type === 'element' || type === 'hidden' ? '[]' : (s.strings[edges[e + s.edgeField.nameOrIndex] as number] ?? '?');
  };
  const totals = new Map<string, { objects: number; bytes: number }>();
  for (let node = 0; node < nodes.length; node += NF) {
    if (existed.has(nodes[node + s.field.id] as number)) continue;
    let current = node;
    let holder = '(no named holder)';
    for (let depth = 0; depth < maxDepth; depth += 1) {
      const up = retainer[current / NF] as number;
      if (up === -1) break;
      const name = className(s, up);
      if (!ANONYMOUS_HOLDERS.has(name) && !name.startsWith('(')) {
        holder = `${name}.${edgeName(retainerEdge[current / NF] as number)}`;
        break;
      }
      current = up;
    }
    const total = totals.get(holder) ?? { objects: 0, bytes: 0 };
    total.objects += 1;
    total.bytes += nodes[node + s.field.selfSize] as number;
    totals.set(holder, total);
  }
  return [...totals.entries()].map(([holder, x]) => ({ holder, ...x })).sort((a, b) => b.bytes - a.bytes);
}
