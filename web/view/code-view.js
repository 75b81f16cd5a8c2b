// @ts-check
/**
 * code-view.js — the example's code in CodeMirror 6: Python highlighting, line
 * numbers, editable; the line about to run and the line just run are marked (a gutter
 * arrow and a tint), and an error is shown under the line it happened at.
 */
import { EditorView, lineNumbers, keymap, Decoration, WidgetType, gutter, GutterMarker, drawSelection, highlightActiveLine } from '@codemirror/view';
import { EditorState, StateField, StateEffect, RangeSet } from '@codemirror/state';
import { python } from '@codemirror/lang-python';
import { syntaxHighlighting, indentOnInput, bracketMatching, indentUnit } from '@codemirror/language';
import { defaultKeymap, history, historyKeymap, indentWithTab, temporarilySetTabFocusMode } from '@codemirror/commands';
import { classHighlighter } from '@lezer/highlight';
import { el } from './dom.js';

/** @typedef {{next: number, done: number, error: {line: number, text: string} | null}} Marks */

const setMarks = StateEffect.define();

class ArrowMarker extends GutterMarker {
  /** @param {'next' | 'done'} kind */
  constructor(kind) { super(); this.kind = kind; }
  /** @param {ArrowMarker} other */
  eq(other) { return other.kind === this.kind; }
  toDOM() {
    return el('span', { class: `step-arrow ${this.kind}`, text: this.kind === 'next' ? '➜' : '➜', title: this.kind === 'next' ? 'next line to run' : 'line just run' });
  }
}
const NEXT = new ArrowMarker('next');
const DONE = new ArrowMarker('done');

class ErrorWidget extends WidgetType {
  /** @param {string} text */
  constructor(text) { super(); this.text = text; }
  /** @param {ErrorWidget} other */
  eq(other) { return other.text === this.text; }
  toDOM() { return el('div', { class: 'cm-error-note', role: 'note', text: this.text }); }
}

/**
 * @param {EditorState} state
 * @param {number} line 1-based
 */
function lineStart(state, line) {
  if (line < 1 || line > state.doc.lines) return -1;
  return state.doc.line(line).from;
}

const marksField = StateField.define({
  create() { return { deco: Decoration.none, gutter: /** @type {RangeSet<GutterMarker>} */ (RangeSet.empty) }; },
  update(value, tr) {
    let v = { deco: value.deco.map(tr.changes), gutter: value.gutter.map(tr.changes) };
    for (const e of tr.effects) {
      if (!e.is(setMarks)) continue;
      const m = /** @type {Marks} */ (e.value);
      const deco = [], marks = [];
      const done = lineStart(tr.state, m.done), next = lineStart(tr.state, m.next);
      if (done >= 0 && m.done !== m.next) {
        deco.push(Decoration.line({ class: 'cm-line-done' }).range(done));
        marks.push(DONE.range(done));
      }
      if (next >= 0) {
        deco.push(Decoration.line({ class: 'cm-line-next' }).range(next));
        marks.push(NEXT.range(next));
      }
      if (m.error) {
        const at = lineStart(tr.state, m.error.line);
        if (at >= 0) {
          deco.push(Decoration.line({ class: 'cm-line-error' }).range(at));
          deco.push(Decoration.widget({ widget: new ErrorWidget(m.error.text), block: true, side: 1 }).range(tr.state.doc.line(m.error.line).to));
        }
      }
      deco.sort((a, b) => a.from - b.from || (a.value.startSide - b.value.startSide));
      marks.sort((a, b) => a.from - b.from);
      v = { deco: Decoration.set(deco, true), gutter: RangeSet.of(marks, true) };
    }
    return v;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
});

export class CodeView {
  /** True while a mouse press is focusing the editor (not the keyboard). */
  pointerDown = false;
  /**
   * @param {HTMLElement} root
   * @param {{source: string, onChange?: (text: string) => void, onRun?: () => void, label?: string}} options
   */
  constructor(root, options) {
    this.root = root;
    this.marks = '';
    const onChange = options.onChange;
    this.view = new EditorView({
      parent: root,
      state: EditorState.create({
        doc: options.source,
        extensions: [
          lineNumbers(),
          gutter({ class: 'cm-step-gutter', markers: (v) => v.state.field(marksField).gutter }),
          history(), drawSelection(), highlightActiveLine(), indentOnInput(), bracketMatching(),
          indentUnit.of('    '), EditorState.tabSize.of(4),
          python(), syntaxHighlighting(classHighlighter),
          keymap.of([
            { key: 'Mod-Enter', run: () => { if (options.onRun) options.onRun(); return true; } },
            // No keyboard trap: Escape, then Tab, leaves the editor (see also the focus handler).
            { key: 'Escape', run: temporarilySetTabFocusMode },
            ...defaultKeymap, ...historyKeymap, indentWithTab,
          ]),
          marksField,
          EditorView.contentAttributes.of({ 'aria-label': `${options.label || 'Python code (editable)'}. Escape then Tab leaves the editor.` }),
          // Focus arriving from the keyboard: Tab moves on until the learner types something
          // else (then Tab indents, as in any code editor).
          EditorView.domEventHandlers({ focus: (_e, view) => { if (!this.pointerDown) view.setTabFocusMode(10 * 60 * 1000); return false; } }),
          EditorView.domEventHandlers({ mousedown: () => { this.pointerDown = true; setTimeout(() => { this.pointerDown = false; }, 0); return false; } }),
          EditorView.updateListener.of((u) => { if (u.docChanged && onChange) onChange(u.state.doc.toString()); }),
        ],
      }),
    });
  }

  /** The code in the editor. */
  get text() { return this.view.state.doc.toString(); }

  /**
   * Replaces the code (Reset, shared links).
   * @param {string} text
   */
  setText(text) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /**
   * Marks the lines of a step; returns early when they did not change.
   * @param {Marks} marks
   */
  update(marks) {
    const key = JSON.stringify(marks);
    if (key === this.marks) return;
    this.marks = key;
    this.view.dispatch({ effects: setMarks.of(marks) });
    const line = marks.next > 0 ? marks.next : marks.done;
    if (line > 0 && line <= this.view.state.doc.lines) {
      this.view.dispatch({ effects: EditorView.scrollIntoView(this.view.state.doc.line(line).from, { y: 'nearest' }) });
    }
  }
}
