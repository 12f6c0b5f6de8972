import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectAuth } from './store/auth-store';
import { LanguageProvider } from './i18n/react';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
connectAuth();
createRoot(root).render(
  <StrictMode>
    <LanguageProvider>
      <App />
    </LanguageProvider>
  </StrictMode>,
);
