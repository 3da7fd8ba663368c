/** The sign-in page: an API key, checked by the client and kept in sessionStorage for this tab. */
import { Layout, type PageProps } from '../layout.js';

export function SignInPage(props: PageProps) {
  const { t } = props;
  return (
    <Layout {...props} page="sign-in" title={t('signin.title')}>
      <section class="card sign-in">
        <h1>{t('signin.title')}</h1>
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
            {t('signin.submit')}
          </button>
          <p id="sign-in-error" class="error" role="alert" />
        </form>
      </section>
    </Layout>
  );
}
