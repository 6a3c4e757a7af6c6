import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './hht.css';

// The HHT field app (web/hht/): its own entry and bundle, plain React (no component library: it
// must stay small for a tablet on a poor link), installable, and working with no network.
createRoot(document.getElementById('root')!).render(<App />);

if ('serviceWorker' in navigator) {
  // Scope /hht/: the app shell is kept so the app opens offline (web/public/hht/sw.js).
  void navigator.serviceWorker.register('/hht/sw.js', { scope: '/hht/' }).catch(() => undefined);
}
// Ask the browser not to evict what the tablet keeps (pulled orders, responses) under pressure.
void navigator.storage?.persist?.().catch(() => undefined);
