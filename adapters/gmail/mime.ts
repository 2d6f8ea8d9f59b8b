import { ProviderError } from '../errors';

/**
 * A plain-text e-mail as RFC 5322 (the successor of RFC 2822) with MIME, the form Gmail's
 * messages.send takes base64url-encoded in `raw`. No From: Gmail fills in the account's
 * address (its default send-as). Bcc stays in the message: Gmail delivers to it and strips
 * it from what the other recipients get.
 * https://developers.google.com/workspace/gmail/api/guides/sending
 * https://www.rfc-editor.org/rfc/rfc5322#section-3.6
 */
export type Mail = {
  to: string[];
  cc?: string[] | undefined;
  bcc?: string[] | undefined;
  subject: string;
  body: string;
  /** Threading a reply (RFC 5322 §3.6.4): the Message-ID replied to and the chain before it. */
  inReplyTo?: string | undefined;
  references?: string | undefined;
};

/**
 * A header value that would end its line: refused, whatever its source (the input schema
 * refuses them first; a Message-ID read from Gmail goes through here too).
 */
const safe = (name: string, value: string): string => {
  if (/[\r\n]/.test(value)) {
    throw new ProviderError('rejected', `The ${name} header may not contain line breaks.`);
  }
  return value;
};

/**
 * A header text as RFC 2047 encoded-words when it is not plain printable ASCII (a subject
 * with umlauts or emoji): `=?UTF-8?B?…?=`, each at most 75 characters, split between
 * characters, never inside one.
 */
export const encodeHeaderText = (value: string): string => {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    // 45 bytes encode to 60 base64 characters: with `=?UTF-8?B?` and `?=`, 72 in all.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
};

/** Base64 in lines of 76 characters, as MIME wants for a body (RFC 2045 §6.8). */
const base64Lines = (text: string): string =>
  (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

/** The message, CRLF line ends, ready for base64url. */
export const buildMail = (mail: Mail): string => {
  const headers: [string, string][] = [['To', mail.to.join(', ')]];
  if (mail.cc?.length) headers.push(['Cc', mail.cc.join(', ')]);
  if (mail.bcc?.length) headers.push(['Bcc', mail.bcc.join(', ')]);
  headers.push(['Subject', encodeHeaderText(safe('Subject', mail.subject))]);
  if (mail.inReplyTo) headers.push(['In-Reply-To', mail.inReplyTo]);
  if (mail.references) headers.push(['References', mail.references]);
  headers.push(
    ['MIME-Version', '1.0'],
    ['Content-Type', 'text/plain; charset="UTF-8"'],
    ['Content-Transfer-Encoding', 'base64'],
  );
  // Every header checked, the encoded Subject's own folding (CRLF + space) excepted.
  const lines = headers.map(([name, value]) => `${name}: ${name === 'Subject' ? value : safe(name, value)}`);
  return `${lines.join('\r\n')}\r\n\r\n${base64Lines(mail.body)}\r\n`;
};

/** What messages.send takes in `raw`: the whole message, base64url (RFC 4648 §5). */
export const rawOf = (mail: Mail): string => Buffer.from(buildMail(mail), 'utf8').toString('base64url');
