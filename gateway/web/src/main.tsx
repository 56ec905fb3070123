import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { userClient } from './live/connection.js';
import './styles.css';

// One socket per tab, connected from the start: pages subscribe through it.
userClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
