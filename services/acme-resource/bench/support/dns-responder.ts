import { createSocket } from 'node:dgram';

/**
 * A DNS server on 127.0.0.1 that answers every A query with 127.0.0.1 and
 * every other query with no records (NOERROR), so pebble's validation of
 * `*.test` names reaches the local http-01 responder (pebble `-dnsserver`).
 */
export async function startDnsResponder(): Promise<{ port: number; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    if (query.length < 12) return;
    // Question: name labels from offset 12, then QTYPE and QCLASS.
    let offset = 12;
    while (offset < query.length && query[offset] !== 0) offset += query[offset]! + 1;
    const questionEnd = offset + 5;
    if (questionEnd > query.length) return;
    const qtype = query.readUInt16BE(offset + 1);
    const header = Buffer.from(query.subarray(0, 12));
    header[2] = 0x84 | (query[2]! & 0x01); // QR, AA, RD copied
    header[3] = 0x80; // RA, NOERROR
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(qtype === 1 ? 1 : 0, 6);
    header.writeUInt16BE(0, 8);
    header.writeUInt16BE(0, 10);
    const question = query.subarray(12, questionEnd);
    const answer = qtype === 1 ? Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]) : Buffer.alloc(0);
    socket.send(Buffer.concat([header, question, answer]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
