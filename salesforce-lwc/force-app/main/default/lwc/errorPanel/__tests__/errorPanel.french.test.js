import { createElement } from '@lwc/engine-dom';
import ErrorPanel from 'c/errorPanel';

jest.mock('@salesforce/i18n/lang', () => ({ default: 'fr-CA' }));

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-error-panel for a French-speaking user', () => {
  it('says in French that something went wrong, and each error code in French on demand', async () => {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    element.errors = [
      {
        body: {
          message: JSON.stringify({ code: 'self_approval', message: 'You cannot approve your own request.' }),
        },
      },
      { body: { message: JSON.stringify({ code: 'server_unreachable', message: 'Unreachable.' }) } },
    ];
    document.body.appendChild(element);

    expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe(
      'Une erreur est survenue.',
    );
    const toggle = element.shadowRoot.querySelector('.details-toggle');
    expect(toggle.label).toBe('Afficher les détails');
    toggle.click();
    await flushPromises();

    expect([...element.shadowRoot.querySelectorAll('.details li')].map((li) => li.textContent)).toEqual([
      'Vous ne pouvez pas décider de votre propre demande.',
      'Le serveur ABM Pilot est injoignable pour le moment.',
    ]);
  });
});
