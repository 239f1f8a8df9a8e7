// Loads the code-server workbench in headless Chromium (the extension host starts only
// once a browser connects), waits for the extension's self-test to show the quick-fix
// menu, takes a screenshot, lets the self-test apply the fix, and waits for its result.
//   node drive.js URL OUT SCREENSHOT
const { chromium } = require('playwright-core');
const fs = require('fs');

const [url, out, shot] = process.argv.slice(2);
const wait = async (page, file, ms) => {
  const deadline = Date.now() + ms;
  // The result file also ends the wait: the self-test stopped early.
  while (!fs.existsSync(file) && !fs.existsSync(out) && Date.now() < deadline) await page.waitForTimeout(200);
  return fs.existsSync(file);
};

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  let code = 1;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(url);
    if (await wait(page, `${out}.ready`, 120000)) {
      await page.waitForTimeout(1500);
      await page.screenshot({ path: shot });
      fs.writeFileSync(`${out}.go`, '');
      code = (await wait(page, out, 60000)) ? 0 : 1;
    } else {
      await page.screenshot({ path: shot });
      console.error('the self-test never got to the quick fix; screenshot in', shot);
      if (fs.existsSync(out)) console.error(fs.readFileSync(out, 'utf8'));
    }
  } finally {
    await browser.close();
  }
  process.exit(code);
})();
