import { createRoot } from 'react-dom/client';

// The HHT field app (web/hht/): its own entry and bundle.
createRoot(document.getElementById('root')!).render(<main>meterops HHT</main>);
