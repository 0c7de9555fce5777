import { createElement } from '@lwc/engine-dom';
import ErrorPanel from 'c/errorPanel';

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

function render(props) {
  const element = createElement('c-error-panel', { is: ErrorPanel });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-error-panel', () => {
  it('announces the friendly message as an alert', () => {
    const element = render({ friendlyMessage: 'ABM Pilot could not load this account.' });

    const alert = element.shadowRoot.querySelector('[role="alert"]');
    expect(alert.textContent).toContain('ABM Pilot could not load this account.');
    expect(element.shadowRoot.querySelector('.details-toggle')).toBeNull();
  });

  it('says something went wrong when given no friendly message, and labels its details toggle', () => {
    const element = render({ errors: new Error('boom') });

    expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe('Something went wrong.');
    expect(element.shadowRoot.querySelector('.details-toggle').label).toBe('Show details');
  });

  it('shows the message of each error code on demand', async () => {
    const element = render({
      friendlyMessage: 'Failed.',
      errors: { body: { message: JSON.stringify({ code: 'conflict', message: 'Try again.' }) } },
    });

    expect(element.shadowRoot.querySelector('.details')).toBeNull();
    element.shadowRoot.querySelector('.details-toggle').click();
    await flushPromises();

    expect([...element.shadowRoot.querySelectorAll('.details li')].map((li) => li.textContent)).toEqual([
      'Something changed meanwhile: refresh and try again.',
    ]);
  });
});
