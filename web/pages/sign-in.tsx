/** The sign-in page: a person's name and password (a session cookie), or a machine's API key (this tab only). */
import { Layout, type PageProps } from '../layout.js';

export function SignInPage(props: PageProps) {
  const { t } = props;
  return (
    <Layout {...props} page="sign-in" title={t('signin.title')}>
      <section class="card sign-in">
        <h1>{t('signin.title')}</h1>
        <p>{t('signin.personIntro')}</p>
        <form id="person-form" novalidate>
          <label for="user-name">{t('signin.name')}</label>
          <input id="user-name" name="name" autocomplete="username" spellcheck={false} required />
          <label for="password">{t('signin.password')}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-describedby="person-error"
          />
          <button type="submit" class="primary">
            {t('signin.submit')}
          </button>
          <p id="person-error" class="error" role="alert" />
        </form>
        <details class="key-sign-in">
          <summary>{t('signin.withKey')}</summary>
          <p>{t('signin.intro')}</p>
          <form id="sign-in-form" novalidate>
            <label for="api-key">{t('signin.key')}</label>
            <input
              id="api-key"
              name="key"
              type="password"
              autocomplete="off"
              spellcheck={false}
              required
              aria-describedby="sign-in-error"
            />
            <button type="submit" class="primary">
              {t('signin.submitKey')}
            </button>
            <p id="sign-in-error" class="error" role="alert" />
          </form>
        </details>
      </section>
    </Layout>
  );
}
