// Command dirattrs prints snapshot.DirectoryAttributes, one per line, for
// scripts that must request exactly the attributes preflight requests.
package main

import (
	"fmt"

	"github.com/preflight-scan/preflight/snapshot"
)

func main() {
	for _, a := range snapshot.DirectoryAttributes() {
		fmt.Println(a)
	}
}
