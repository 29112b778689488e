/**
 * Percent-encoding that can say everything a client can send: a lone surrogate becomes its
 * three bytes as WTF-8 (`%ED%A0%80`), where encodeURIComponent would throw.
 */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      encoded += encodeURIComponent(char);
    }
  }
  return encoded;
}

/**
 * A header value as bytes on the wire. Node's client refuses characters a header cannot hold, so
 * text beyond Latin-1 goes as its UTF-8 bytes (which is what a raw client would send) and CR, LF and
 * NUL, which only a raw socket can send, are left out (the raw-socket requests cover them).
 */
export function headerValue(text: string): string {
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  return bytes.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}
