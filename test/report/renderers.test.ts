// The report renderers: a hostile name in a sequence stays text in Markdown and HTML, links go
// only to anchors, relative files and pages of Microsoft Learn (which tsq's catalogs cite), and the HTML is one file with a strict Content-Security-Policy
// that allows its own stylesheet by hash and nothing else (no script, no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renderMarkdown, escapeMarkdown, codeSpanMarkdown } from '../../server/src/report/markdown';
import { renderHtml, REPORT_CSS } from '../../server/src/report/html';
import { safeHref, type ReportDocument } from '../../server/src/report/document';
import { whenInWords } from '../../server/src/report/condition-words';

const HOSTILE = '<script>alert(1)</script> | **bold** [x](javascript:alert(1)) & "q"';

const doc: ReportDocument = {
  title: HOSTILE,
  blocks: [
    { kind: 'heading', level: 2, text: HOSTILE, anchor: '"><img src=x>' },
    {
      kind: 'paragraph',
      text: [HOSTILE, { text: 'evil', href: 'javascript:alert(1)' }, { text: 'child', href: 'child.html' }],
    },
    { kind: 'table', columns: ['Name', 'Value'], rows: [[HOSTILE, 'a|b\nc']] },
    {
      kind: 'tree',
      items: [
        { depth: 0, mark: '✔', text: HOSTILE, detail: HOSTILE },
        { depth: 1, text: 'inner', notes: [HOSTILE] },
        { depth: 0, text: 'next' },
      ],
    },
    { kind: 'list', items: ['- not a list', '1. not numbered'] },
  ],
};

test('HTML escapes every text: a <script> in a step name stays text', () => {
  const html = renderHtml(doc);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(html, /href="javascript:/i, 'a link with a scheme is shown as text');
  assert.match(html, /<a href="child\.html">child<\/a>/);
});

test('HTML is self-contained with a strict CSP that allows only its own stylesheet by hash', () => {
  const html = renderHtml(doc);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, "'");
  assert.ok(csp, 'the CSP meta is there');
  assert.match(csp!, /default-src 'none'/);
  assert.match(csp!, /script-src 'none'/);
  const hash = createHash('sha256').update(REPORT_CSS).digest('base64');
  assert.ok(csp!.includes(`style-src 'sha256-${hash}'`));
  assert.ok(html.includes(`<style>${REPORT_CSS}</style>`), 'the stylesheet is exactly the hashed text');
  assert.doesNotMatch(html, /https?:\/\//, 'nothing from the network');
  assert.doesNotMatch(
    html,
    /\sstyle=|\son\w+=/i,
    'no inline style or event attributes (the CSP would refuse them anyway)',
  );
});

test('HTML trees nest lists and close every one they open', () => {
  const html = renderHtml(doc);
  const opened = (html.match(/<ul/g) ?? []).length,
    closed = (html.match(/<\/ul>/g) ?? []).length;
  assert.equal(opened, closed);
  const li = (html.match(/<li/g) ?? []).length,
    liEnd = (html.match(/<\/li>/g) ?? []).length;
  assert.equal(li, liEnd);
});

test('Markdown escapes markup: tables keep their columns and no HTML gets through', () => {
  const md = renderMarkdown(doc);
  assert.doesNotMatch(md, /<script/i);
  assert.match(md, /&lt;script&gt;/);
  assert.doesNotMatch(md, /(?<!\\)\]\(javascript:/i, 'no live link with a scheme');
  assert.match(md, /\[child\]\(<child\.html>\)/);
  const row = md.split('\n').find((l) => l.includes('a\\|b'))!;
  assert.equal(row.split(/(?<!\\)\|/).length - 2, 2, 'a pipe in a value does not add a column');
  assert.match(md, /^- \\- not a list$/m);
  assert.match(md, /^- 1\\\. not numbered$/m);
  assert.equal(escapeMarkdown('10.0.26100'), '10.0.26100', 'version numbers stay readable');
});

test('a code span holds any text: its fence outgrows the backticks inside, and it stays on one line', () => {
  // CommonMark: a code span closes at a run of backticks of the same length as the one that opened it,
  // and one space is stripped from each end when both ends are spaces (https://spec.commonmark.org/0.31.2/#code-spans).
  assert.equal(codeSpanMarkdown('InstallPackage'), '`InstallPackage`');
  assert.equal(codeSpanMarkdown('a`b'), '``a`b``');
  assert.equal(codeSpanMarkdown('a``b`c'), '```a``b`c```');
  assert.equal(codeSpanMarkdown('`edge`'), '`` `edge` ``', 'a text that starts or ends with a backtick is padded');
  assert.equal(codeSpanMarkdown('two\r\nlines'), '`two lines`');
  const many = 'x`'.repeat(300_000) + '``';
  assert.equal(
    codeSpanMarkdown(many),
    `\`\`\`\` ${many} \`\`\`\``,
    'many runs of backticks neither throw nor overflow the stack',
  );
});

test('links go to anchors, relative files and Microsoft Learn only', () => {
  assert.equal(safeHref('#restarts'), '#restarts');
  assert.equal(safeHref('child.html'), 'child.html');
  const learn = 'https://learn.microsoft.com/mem/configmgr/mdt/properties#islaptop';
  assert.equal(safeHref(learn), learn);
  for (const refused of [
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://evil.example/',
    'https://learn.microsoft.com.evil.example/',
    'https://learn.microsoft.com@evil.example/',
    'http://learn.microsoft.com/mem/',
    '//learn.microsoft.com/mem/',
    'https://learn.microsoft.com/a b',
    'https://learn.microsoft.com/\\evil',
    'https://learn.microsoft.com/\u0000',
  ])
    assert.equal(safeHref(refused), undefined, refused);
  const md = renderMarkdown({ title: 't', blocks: [{ kind: 'paragraph', text: { text: 'IsLaptop', href: learn } }] });
  assert.ok(md.includes(`[IsLaptop](<${learn}>)`));
});

test('conditions read as words', () => {
  assert.equal(whenInWords('_SMSTSInWinPE == "true"'), '_SMSTSInWinPE is "true"');
  assert.equal(whenInWords('any(OSDDiskIndex == "0", exists(Ring))'), 'OSDDiskIndex is "0" or Ring is set');
  assert.match(
    whenInWords('wmi("SELECT * FROM Win32_Battery")'),
    /^the WMI query "SELECT \* FROM Win32_Battery" returns something$/,
  );
  assert.match(whenInWords('==='), /^as written \(not readable\)/);
});
