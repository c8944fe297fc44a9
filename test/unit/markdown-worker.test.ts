import { describe, expect, it } from 'vitest';
import { renderTypedMarkdown } from '../../src/web/markdown.js';
import { parseMarkdownBounded } from '../../src/web/markdown-worker.js';

// 10 kB that marked takes tens of seconds over (its link parsing is cubic in the number of open "[a](").
const SLOW_BODY = '[a]('.repeat(2500);

describe('parsing typed Markdown off the event loop', () => {
  it('renders ordinary Markdown', async () => {
    expect(await parseMarkdownBounded('**tebal** dan [tautan](https://example.go.id)')).toContain(
      '<strong>tebal</strong>',
    );
  });

  it('gives up on a body marked cannot parse in time, without blocking the event loop', async () => {
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const html = await parseMarkdownBounded(SLOW_BODY, 500);
    clearInterval(ticker);
    expect(html).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    // The main thread kept running while the worker was busy.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('answers null for a body that makes marked overflow its stack', async () => {
    expect(await parseMarkdownBounded('>'.repeat(5000))).toBeNull();
  });

  it('does not keep the process alive once the answer is in (a command-line tool exits)', async () => {
    // The test runner's own process holds no message port; the parser's worker must not hold one either.
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    expect(await parseMarkdownBounded('*lagi*')).toContain('<em>lagi</em>');
    expect(ports()).toBe(0);
  });

  it('works again after a parse was abandoned', async () => {
    expect(await parseMarkdownBounded(SLOW_BODY, 300)).toBeNull();
    expect(await parseMarkdownBounded('# Judul')).toContain('<h1');
  });

  it('answers parses waiting behind an abandoned one rather than leaving them hanging', async () => {
    const [slow, next] = await Promise.all([
      parseMarkdownBounded(SLOW_BODY, 300),
      parseMarkdownBounded('teks', 300),
    ]);
    expect(slow).toBeNull();
    expect(next === null || next.includes('teks')).toBe(true);
  });
});

describe('renderTypedMarkdown', () => {
  it('sanitises what the worker parsed and gives its plain text for search', async () => {
    const rendered = await renderTypedMarkdown(
      'Halo <script>alert(1)</script> **ASN** &amp; [x](javascript:alert(1))',
    );
    expect(rendered?.html).not.toContain('<script');
    expect(rendered?.html).not.toContain('javascript:');
    expect(rendered?.html).toContain('<strong>ASN</strong>');
    expect(rendered?.text).toBe('Halo ASN & x');
  });
});
