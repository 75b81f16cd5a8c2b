// @ts-check
/**
 * terminal-view.js — the program's output in an xterm.js terminal, in step with the
 * trace: stdout and stderr (red) written so far at the current step; stepping back
 * un-prints. When the program waits in input(), the terminal takes a typed line.
 */
import { Terminal } from '@xterm/xterm';
import { outputText } from '../model/replay.js';

/** @typedef {import('../model/replay.js').State} State */

const RED = '\x1b[31m', RESET = '\x1b[0m';

export class TerminalView {
  /**
   * @param {HTMLElement} root
   * @param {{onInput: (line: string) => void}} options
   */
  constructor(root, options) {
    this.root = root;
    this.onInput = options.onInput;
    this.written = '';
    this.line = '';
    this.waiting = false;
    this.term = new Terminal({
      convertEol: true, disableStdin: true, cursorBlink: false, cursorStyle: 'bar', cursorInactiveStyle: 'none', rows: 7, cols: 60,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13, scrollback: 2000, theme: themeOf(root),
    });
    this.term.open(root);
    this.term.onData((data) => this.typed(data));
    // Tab is never typed into the program: it moves the focus on (no keyboard trap).
    this.term.attachCustomKeyEventHandler((e) => e.key !== 'Tab');
    this.fit();
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.fit()).observe(root);
    if (typeof matchMedia !== 'undefined') {
      matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { this.term.options.theme = themeOf(root); });
    }
  }

  /** Sizes the columns to the element's width. */
  fit() {
    const width = this.root.clientWidth - 16;
    if (width <= 0) return;
    const cols = Math.max(20, Math.floor(width / 7.9));
    if (cols !== this.term.cols) this.term.resize(cols, this.term.rows);
  }

  /**
   * Shows the output written up to [state]; returns early when unchanged.
   * @param {State} state
   * @param {{waiting: boolean, echoes?: Echo[]}} ctx waiting: the run stopped in input() at
   *   this step; echoes: the lines typed for input(), shown after their prompts
   */
  update(state, ctx) {
    const text = outputOf(state, ctx.echoes);
    if (text !== this.written) {
      if (text.startsWith(this.written)) this.term.write(text.slice(this.written.length));
      else {
        this.term.reset();
        this.term.write(text);
      }
      this.written = text;
      this.line = '';
    }
    if (ctx.waiting !== this.waiting) {
      this.setWaiting(ctx.waiting);
      if (ctx.waiting) this.term.focus();
    }
  }

  /**
   * Whether the terminal takes a typed line now (the cursor shows and blinks, the frame
   * is highlighted).
   * @param {boolean} on
   */
  setWaiting(on) {
    this.waiting = on;
    this.term.options.disableStdin = !on;
    this.term.options.cursorBlink = on;
    this.term.options.cursorStyle = on ? 'block' : 'bar';
    this.term.options.cursorInactiveStyle = on ? 'outline' : 'none';
    this.root.classList.toggle('waiting', on);
  }

  /** @param {string} data keys typed in the terminal */
  typed(data) {
    if (!this.waiting) return;
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        const line = this.line;
        this.line = '';
        this.term.write('\r\n');
        this.written += line + '\n'; // the re-run's output starts the same (the line is echoed after its prompt)
        this.setWaiting(false);
        this.onInput(line);
        return;
      }
      if (ch === '\x7f' || ch === '\b') {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          this.term.write('\b \b');
        }
      } else if (ch >= ' ') {
        this.line += ch;
        this.term.write(ch);
      }
    }
  }

  /** The text on screen (tests and screen readers use the DOM renderer's rows too). */
  get text() { return this.written; }
}

/**
 * A line the learner typed for input(), as a terminal shows it after the prompt: the
 * program's output does not contain it (input() reads it without echo), so the page
 * remembers where it went: after the first [outLen] output chunks, from step [step] on.
 * @typedef {{step: number, outLen: number, line: string}} Echo
 */

/**
 * The terminal text of a state: stdout as is, stderr in red, typed lines after their
 * prompts.
 * @param {State} state
 * @param {Echo[]} [echoes]
 */
export function outputOf(state, echoes = []) {
  let text = '';
  const chunks = state.log.chunks;
  let e = 0;
  const echo = (/** @type {number} */ done) => {
    for (; e < echoes.length && echoes[e].outLen <= done; e++) {
      if (state.step >= echoes[e].step) text += echoes[e].line + '\n';
    }
  };
  echo(0);
  for (let i = 0; i < state.outLen; i++) {
    const [stream, t] = chunks[i];
    text += stream === 2 ? RED + t + RESET : t;
    echo(i + 1);
  }
  return text;
}

export { outputText };

/**
 * Terminal colours from the page's CSS variables (light or dark theme).
 * @param {HTMLElement} root
 */
function themeOf(root) {
  const css = getComputedStyle(root);
  const v = (/** @type {string} */ name, /** @type {string} */ fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--term-bg', '#fbfbf8'), foreground: v('--term-fg', '#1f2328'),
    cursor: v('--term-fg', '#1f2328'), selectionBackground: v('--term-sel', '#b6d4fe'),
    red: v('--term-red', '#b42318'), brightRed: v('--term-red', '#b42318'),
  };
}
