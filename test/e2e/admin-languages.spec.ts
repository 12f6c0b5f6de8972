/**
 * The administration screens in German and Finnish: each screen's heading, key labels and the Users list's
 * numbers and phone numbers in the chosen language, and none of the English words on those elements.
 */
import { test, expect, ADMIN } from './fixtures';

test.beforeEach(async ({ seed }) => {
  await seed.user({ username: 'omar', displayName: 'Omar Said', mobile: '+46701234504' });
});

const WALK = {
  de: {
    policy: ['Authentifizierungsrichtlinie', 'Primäre Methode', 'Zwei-Faktor-Authentifizierung verwenden'],
    secrets: ['Geheimnisverwaltung', 'Geheimnis'],
    users: ['Benutzer', 'Rollen'],
    audit: ['Prüfprotokoll', 'Anwenden'],
  },
  fi: {
    policy: ['Tunnistautumiskäytäntö', 'Ensisijainen tapa', 'Käytä kaksivaiheista tunnistautumista'],
    secrets: ['Salaisuuksien hallinta', 'Salaisuus'],
    users: ['Käyttäjät', 'Roolit'],
    audit: ['Tapahtumaloki', 'Käytä'],
  },
} as const;
const ENGLISH = [
  'Primary method',
  'Use two-factor authentication',
  'Save',
  'Apply',
  'Roles',
  'Users',
  'Secret',
];

for (const [locale, words] of Object.entries(WALK)) {
  test(`the admin screens speak ${locale}`, async ({ page, ui }) => {
    await ui.signIn(ADMIN);
    await page.getByTestId('language-picker').selectOption(locale);

    await expect(page.getByTestId('screen-policy').locator('h1')).toHaveText(words.policy[0]);
    await expect(page.getByTestId('screen-policy')).toContainText(words.policy[1]);
    await expect(page.getByTestId('screen-policy')).toContainText(words.policy[2]);

    await page.getByTestId('nav-secrets').click();
    await expect(page.getByTestId('screen-secrets').locator('h1')).toHaveText(words.secrets[0]);
    await expect(page.getByTestId('screen-secrets')).toContainText(words.secrets[1]);

    await page.getByTestId('nav-users').click();
    await expect(page.getByTestId('screen-users').locator('h1')).toHaveText(words.users[0]);
    await expect(page.getByTestId('screen-users').locator('thead')).toContainText(words.users[1]);
    // The phone number in international format, whatever the language
    await expect(page.getByTestId('user-row-omar')).toContainText('+46 70 123 45 04');
    const headings = await page.getByTestId('screen-users').locator('thead th').allInnerTexts();
    for (const english of ENGLISH) expect(headings).not.toContain(english);

    await page.getByTestId('nav-audit').click();
    await expect(page.getByTestId('screen-audit').locator('h1')).toHaveText(words.audit[0]);
    await expect(page.getByTestId('audit-apply')).toHaveText(words.audit[1]);
    const buttons = await page.getByTestId('screen-audit').locator('button, label, th').allInnerTexts();
    for (const english of ENGLISH) expect(buttons).not.toContain(english);
  });
}
