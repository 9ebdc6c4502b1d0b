import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/I18nProvider.tsx';
import { SessionProvider } from './session/SessionProvider.tsx';
import { FaceRouter } from './faces/FaceRouter.tsx';
import './styles/tokens.css';
import './styles/base.css';
import './styles/shells.css';
import './styles/components.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <FaceRouter />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
