/** The console's entry: renders the app into #root and marks in-page navigation for focus handling. */
import { render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('root');
if (root) {
  root.textContent = '';
  render(<App />, root);
  // After the first in-page navigation, page headings take focus (see PageTitle).
  window.addEventListener('followthrough:navigate', () => (document.body.dataset.navigated = 'yes'));
  window.addEventListener('popstate', () => (document.body.dataset.navigated = 'yes'));
}
