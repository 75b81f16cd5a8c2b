// @ts-check
/**
 * controls.js — stepping: first / back / forward / last, a slider over all steps,
 * "Step N of M", play/pause with a speed, and Stop for a running program. Keyboard
 * (arrows, Home, End) is wired by the visualizer on its whole area.
 */
import { el } from './dom.js';

/** Delay between steps while playing, by speed label. */
const SPEEDS = [['0.5×', 1200], ['1×', 600], ['2×', 300], ['4×', 120], ['10×', 40]];

export class Controls {
  /**
   * @param {HTMLElement} root
   * @param {{go: (n: number) => void, stop: () => void}} actions
   */
  constructor(root, actions) {
    this.root = root;
    this.actions = actions;
    this.step = 0;
    this.total = 0;
    this.timer = 0;
    this.signature = '';
    const button = (/** @type {string} */ text, /** @type {string} */ label, /** @type {() => void} */ fn, /** @type {string} */ cls) =>
      el('button', { type: 'button', class: ['ctl', cls], text, 'aria-label': label, title: label, on: { click: fn } });
    this.first = button('« First', 'First step (Home)', () => this.go(0), 'first');
    this.back = button('◀ Back', 'Back one step (←)', () => this.go(this.step - 1), 'back');
    this.forward = button('Forward ▶', 'Forward one step (→)', () => this.go(this.step + 1), 'forward');
    this.last = button('Last »', 'Last step (End)', () => this.go(this.total - 1), 'last');
    this.play = button('▷ Play', 'Play', () => this.togglePlay(), 'play');
    this.stopButton = button('■ Stop', 'Stop the running program', () => actions.stop(), 'stop');
    this.stopButton.hidden = true;
    this.speed = /** @type {HTMLSelectElement} */ (el('select', { class: 'speed', 'aria-label': 'Playback speed', title: 'Playback speed' },
      SPEEDS.map(([label, ms]) => el('option', { value: String(ms), text: label, selected: label === '1×' }))));
    this.slider = /** @type {HTMLInputElement} */ (el('input', {
      type: 'range', class: 'slider', min: '0', max: '0', value: '0', step: '1', 'aria-label': 'Step',
      on: { input: () => this.go(Number(this.slider.value)) },
    }));
    this.label = el('span', { class: 'step-label', 'aria-hidden': 'true', text: 'Step 0 of 0' });
    root.classList.add('controls');
    root.append(
      el('div', { class: 'ctl-row' }, this.first, this.back, this.forward, this.last, this.label),
      el('div', { class: 'ctl-row' }, this.slider),
      el('div', { class: 'ctl-row' }, this.play, this.speed, this.stopButton));
  }

  /** @param {number} n */
  go(n) {
    if (!this.total) return;
    this.actions.go(Math.max(0, Math.min(this.total - 1, n)));
  }

  togglePlay() {
    if (this.timer) return this.pause();
    if (this.step >= this.total - 1) this.go(0);
    const tick = () => {
      if (this.step >= this.total - 1) return this.pause();
      this.go(this.step + 1);
      this.timer = window.setTimeout(tick, Number(this.speed.value));
    };
    this.timer = window.setTimeout(tick, 0);
    this.play.textContent = '❚❚ Pause';
    this.play.setAttribute('aria-label', 'Pause');
  }

  pause() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = 0;
    this.play.textContent = '▷ Play';
    this.play.setAttribute('aria-label', 'Play');
  }

  /**
   * Shows the position; returns early when unchanged.
   * @param {number} step
   * @param {number} total
   * @param {boolean} running
   */
  update(step, total, running) {
    const sig = `${step}/${total}/${running}`;
    if (sig === this.signature) return;
    this.signature = sig;
    this.step = step;
    this.total = total;
    this.slider.max = String(Math.max(0, total - 1));
    this.slider.value = String(step);
    const text = total ? `Step ${step + 1} of ${total}` : running ? 'Running…' : 'No steps';
    this.label.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
    this.first.disabled = this.back.disabled = !total || step <= 0;
    this.forward.disabled = this.last.disabled = !total || step >= total - 1;
    this.play.disabled = total < 2;
    this.slider.disabled = total < 2;
    this.stopButton.hidden = !running;
    if (!total) this.pause();
  }
}
