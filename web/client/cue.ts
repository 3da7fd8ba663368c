/** The cue for a new critical alert: a banner that screen readers announce, a flash, and an optional beep. */
import { byId } from './dom.js';
import { t } from './locale.js';

const SOUND_PREF = 'wl.sound';

/**
 * Browsers start audio only after a user gesture, so sound is switched on with a button (a gesture) and
 * the AudioContext is resumed on the next click or key press after a reload.
 */
export interface Cue {
  critical(alertId: string, text: string): void;
  /** The alert was acknowledged (by anyone) or ended: its banner goes, or the one before it comes back. */
  settle(alertId: string): void;
}

export function createCue(): Cue {
  const toggle = byId<HTMLButtonElement>('sound-toggle');
  const banner = byId('cue');
  const bannerText = byId('cue-text');
  let audio: AudioContext | null = null;
  let soundOn = localStorage.getItem(SOUND_PREF) === 'on';
  const originalTitle = document.title;
  let unseen = 0;
  /** Cued alerts still waiting for someone, oldest first, with their banner text. */
  const waiting = new Map<string, string>();

  const ensureAudio = () => {
    if (!soundOn) return;
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  };
  const showToggle = () => {
    toggle.setAttribute('aria-pressed', String(soundOn));
    toggle.textContent = t(soundOn ? 'alerts.sound.on' : 'alerts.sound.off');
  };
  showToggle();
  toggle.addEventListener('click', () => {
    soundOn = !soundOn;
    localStorage.setItem(SOUND_PREF, soundOn ? 'on' : 'off');
    showToggle();
    ensureAudio();
    if (soundOn) beep(1);
  });
  for (const type of ['pointerdown', 'keydown'] as const) {
    document.addEventListener(type, ensureAudio, { passive: true });
  }
  const hide = () => {
    banner.hidden = true;
    unseen = 0;
    document.title = originalTitle;
    delete document.body.dataset.cueAlert;
  };
  byId('cue-dismiss').addEventListener('click', () => {
    waiting.clear();
    hide();
  });
  const show = (alertId: string, text: string) => {
    bannerText.textContent = t('alerts.cue', { text });
    banner.hidden = false;
    document.body.dataset.cueAlert = alertId;
  };

  const beep = (times: number) => {
    if (!soundOn || !audio || audio.state !== 'running') return;
    // Three short 880 Hz tones: distinct from a phone's notification sounds and audible in a noisy room.
    for (let i = 0; i < times; i++) {
      const start = audio.currentTime + i * 0.3;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.22);
    }
  };

  return {
    settle(alertId) {
      if (!waiting.delete(alertId)) return;
      unseen = Math.max(0, unseen - 1);
      document.title = unseen > 0 ? `(${unseen}) ${originalTitle}` : originalTitle;
      if (document.body.dataset.cueAlert !== alertId) return;
      const last = [...waiting].at(-1);
      if (last) show(last[0], last[1]);
      else hide();
    },
    critical(alertId, text) {
      waiting.set(alertId, text);
      show(alertId, text);
      banner.classList.remove('flash');
      // Restart the CSS animation for each new alert.
      void banner.offsetWidth;
      banner.classList.add('flash');
      unseen++;
      document.title = `(${unseen}) ${originalTitle}`;
      document.body.dataset.lastCue = alertId;
      beep(3);
    },
  };
}
