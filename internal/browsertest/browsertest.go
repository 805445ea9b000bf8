// Package browsertest opens a page in a real headless Chromium through the
// DevTools protocol (chromedp) for tests, and records what a reader would
// not notice but a test must: every network request the page makes, every
// dialog it opens and every error it logs (a Content-Security-Policy
// violation, say). Tests skip, saying why, where no browser is installed.
package browsertest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ShotDir is where screenshots are copied besides the test's temp dir,
// so that people can look at them after the run.
const ShotDir = "/tmp/html-shots"

// Browser finds Chromium: $PREFLIGHT_CHROMIUM, else chromium or
// chromium-browser on PATH, else /usr/bin/chromium.
func Browser() (string, error) {
	if p := os.Getenv("PREFLIGHT_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, n := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium found (apt-get install chromium, or set PREFLIGHT_CHROMIUM)")
}

// Page is one page open in its own fresh browser.
type Page struct {
	t   *testing.T
	ctx context.Context //nolint:containedctx // a Page is one browser tab; its chromedp context is the tab
	url string

	mu       sync.Mutex
	requests []string
	dialogs  []string
	errs     []string
}

// Open starts a headless Chromium with a fresh profile and no network
// services of its own, loads file, and returns the page. The browser is
// closed when the test ends.
func Open(t *testing.T, file string) *Page {
	t.Helper()
	bin, err := Browser()
	if err != nil {
		t.Skip("browser test skipped: " + err.Error())
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	p := &Page{t: t, ctx: bctx, url: "file://" + abs}
	err = chromedp.Listen(bctx, func(ev any) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			p.requests = append(p.requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			p.dialogs = append(p.dialogs, string(e.Type)+": "+e.Message)
			go func() {
				_, _ = chromedp.Call(bctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			}()
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				p.errs = append(p.errs, e.Entry.Text+" "+e.Entry.URL)
			}
		case *runtime.EventExceptionThrown:
			p.errs = append(p.errs, "exception: "+e.ExceptionDetails.Text+" "+describe(e.ExceptionDetails.Exception))
		}
	})
	if err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	if _, err := chromedp.Call(bctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(p.url), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("open %s in %s: %v", abs, bin, err)
	}
	return p
}

// Do runs actions on the page, failing the test on an error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

// Run runs one action on the page and returns its value, failing the
// test on an error.
func Run[T any](p *Page, a chromedp.Action[T]) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, a)
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// Eval evaluates a JavaScript expression through DevTools (not as page
// script, so the page's CSP does not apply).
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	return Run(p, chromedp.Evaluate[T](expr))
}

// Text returns the text of the first element sel matches.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(Run(p, chromedp.Text(sel)))
}

// Shot saves a screenshot of the viewport (full is false) or the whole
// page as name.png in the test's temp dir and in ShotDir, and returns the
// temp dir's path.
func (p *Page) Shot(name string, full bool) string {
	p.t.Helper()
	var b []byte
	if full {
		b = Run(p, chromedp.FullScreenshot(100))
	} else {
		b = Run(p, chromedp.CaptureScreenshot())
	}
	path := filepath.Join(p.t.TempDir(), name+".png")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		p.t.Fatal(err)
	}
	if err := os.MkdirAll(ShotDir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(ShotDir, name+".png"), b, 0o644)
	}
	return path
}

// Click clicks the first element sel matches, as a keyboard or mouse
// activation does (its click event).
func (p *Page) Click(sel string) {
	p.t.Helper()
	if !Eval[bool](p, `(function (e) { if (!e) { return false; } e.click(); return true; })(document.querySelector(`+strconv.Quote(sel)+`))`) {
		p.t.Fatalf("nothing matches %s", sel)
	}
}

// Download clicks sel and returns the text of the Blob the page makes
// and hands to a link to save. The page's URL.createObjectURL and link
// click are replaced for the test (through DevTools) to catch the Blob,
// so nothing is saved and nothing is requested.
func (p *Page) Download(sel string) string {
	p.t.Helper()
	p.Do(chromedp.Evaluate[chromedp.Void](`window.__url = URL.createObjectURL; window.__click = HTMLAnchorElement.prototype.click;
URL.createObjectURL = function (b) { window.__blob = b; return "#download"; };
HTMLAnchorElement.prototype.click = function () { window.__saved = this.download; };`))
	p.Click(sel)
	p.Do(chromedp.Evaluate[chromedp.Void](`URL.createObjectURL = window.__url; HTMLAnchorElement.prototype.click = window.__click;`))
	return Run(p, chromedp.Evaluate[string](`window.__blob ? window.__blob.text() : "no blob"`, chromedp.EvalAwaitPromise))
}

// Requests returns the URLs the page requested besides itself.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, u := range p.requests {
		if u != p.url {
			out = append(out, u)
		}
	}
	return out
}

// Dialogs returns the dialogs (alert, confirm, prompt) the page opened.
func (p *Page) Dialogs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.dialogs...)
}

// Errors returns the errors the page logged or threw.
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errs...)
}

// CheckQuiet fails the test if the page requested anything besides
// itself, opened a dialog or logged an error.
func (p *Page) CheckQuiet() {
	p.t.Helper()
	for _, u := range p.Requests() {
		p.t.Errorf("the page made a request: %s", u)
	}
	for _, d := range p.Dialogs() {
		p.t.Errorf("the page opened a dialog: %s", d)
	}
	for _, e := range p.Errors() {
		p.t.Errorf("the page logged an error: %s", e)
	}
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return o.Description
}
