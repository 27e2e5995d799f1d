// The XML reader takes UTF-8 and UTF-16 task sequence XML and refuses, with a message naming the
// file and the reason, everything unsafe or unreadable: DOCTYPEs and entity declarations (no
// expansion, no external fetch), deep nesting, files that are not XML, other encodings.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readXml } from '../../server/src/interop/xml/read';
import { writeXml, writeXmlBytes } from '../../server/src/interop/xml/write';
import { element, text } from '../../server/src/interop/xml/tree';
import { InteropError } from '../../server/src/interop/errors';

const read = (s: string | Buffer) =>
  readXml(typeof s === 'string' ? Buffer.from(s, 'utf8') : s, { source: 'test.xml' });

function refused(input: string | Buffer, pattern: RegExp): void {
  assert.throws(
    () => read(input),
    (e: unknown) => e instanceof InteropError && pattern.test(e.message) && e.message.includes('test.xml'),
  );
}

describe('XML reader', () => {
  test('reads elements, attributes in order, text and CDATA', () => {
    const doc = read('<?xml version="1.0"?><a z="1" b="2"><b>t &amp; u</b><c><![CDATA[<x>]]></c></a>');
    assert.equal(doc.root.name, 'a');
    assert.deepEqual(Object.keys(doc.root.attrs), ['z', 'b']);
    const [b, c] = doc.root.children;
    assert.ok(b.kind === 'element' && b.children[0].kind === 'text' && b.children[0].text === 't & u');
    assert.ok(
      c.kind === 'element' && c.children[0].kind === 'text' && c.children[0].cdata && c.children[0].text === '<x>',
    );
  });

  test('refuses a DOCTYPE with entity declarations (billion laughs) without expanding anything', () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><sequence>&lol2;</sequence>';
    refused(lol, /DOCTYPE/);
  });

  test('refuses external entities (no file or network fetch)', () => {
    refused('<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><sequence>&x;</sequence>', /DOCTYPE/);
    refused('<!DOCTYPE sequence SYSTEM "http://example.invalid/x.dtd"><sequence/>', /DOCTYPE/);
  });

  test('refuses an undeclared entity', () => {
    refused('<sequence>&nbsp;</sequence>', /not well-formed XML.*entity/);
  });

  test('refuses nesting deeper than the cap', () => {
    refused('<a>'.repeat(300) + '</a>'.repeat(300), /more than 200 levels/);
    assert.doesNotThrow(() => read('<a>'.repeat(150) + '</a>'.repeat(150)));
  });

  test('refuses files that are not XML or not well-formed', () => {
    refused('sequence: Deploy\nsteps: []\n', /not XML/);
    refused(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /neither UTF-8 nor UTF-16|not XML/);
    refused('<sequence><group></sequence>', /not well-formed.*line 1/);
    refused('<a/><b/>', /not well-formed/);
  });

  test('refuses text that is neither UTF-8 nor UTF-16', () => {
    const latin1 = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><s n="'),
      Buffer.from([0xe9]),
      Buffer.from('"/>'),
    ]);
    refused(latin1, /neither UTF-8 nor UTF-16/);
    refused('<?xml version="1.0" encoding="windows-1252"?><s n="é"/>', /declares the encoding "windows-1252"/);
  });

  test('reads UTF-16 little and big endian, with or without a byte order mark', () => {
    const xml = '<sequence version="3.10"><group name="Grüße"/></sequence>';
    const le = Buffer.from(xml, 'utf16le');
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
      le,
      be,
    ]) {
      const doc = read(bytes);
      const g = doc.root.children[0];
      assert.ok(g.kind === 'element' && g.attrs.name === 'Grüße');
    }
  });

  test('keeps an attribute named __proto__ as an attribute', () => {
    const doc = read('<a __proto__="x"/>');
    assert.equal(doc.root.attrs['__proto__'], 'x');
    assert.deepEqual(Object.keys(doc.root.attrs), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).x, undefined, 'no prototype was touched');
  });

  test('the writer escapes what XML needs and refuses characters XML cannot hold', () => {
    const el = element('v', { a: 'x"<&\n' }, [text('a < b & c\r\n')]);
    const back = read(writeXml(el));
    assert.equal(back.root.attrs.a, 'x"<&\n');
    assert.ok(back.root.children[0].kind === 'text' && back.root.children[0].text === 'a < b & c\r\n');
    assert.throws(() => writeXml(element('v', {}, [text('bell\u0007')])), /U\+0007/);
    assert.equal(
      read(writeXml(element('v', {}, [text('a]]>b', true)])))
        .root.children.map((c) => (c.kind === 'text' ? c.text : ''))
        .join(''),
      'a]]>b',
    );
  });

  test('the writer encodes any Unicode text as UTF-8 and refuses unpaired surrogates', () => {
    const value = 'Café € \u{1F600} \t"tab"\r';
    const el = element('v', { a: value }, [text(value), element('w', {}, [text(value, true)])]);
    const bytes = writeXmlBytes(el, { indent: '' });
    assert.deepEqual(bytes, Buffer.from(writeXml(el, { indent: '' }), 'utf8'));
    const back = read(bytes).root;
    assert.equal(back.attrs.a, value);
    assert.ok(back.children[0].kind === 'text' && back.children[0].text === value);
    assert.throws(() => writeXml(element('v', { a: 'x\ud800y' })), /attribute a of <v> contains the character U\+D800/);
    assert.throws(
      () => writeXml(element('v', {}, [text('\udc00', true)])),
      /text of <v> contains the character U\+DC00/,
    );
    assert.throws(() => writeXml(element('v', {}, [text('\uffff')])), /U\+FFFF/);
  });
});
