package integration

import (
	"io"
	"net"
	"sync"
	"testing"
)

// startProxy forwards loopback connections to target. After limit bytes
// from the server it either cuts both sides (stall false: a dropped
// connection) or stops forwarding and holds the connection open (stall
// true: a hung server). It returns the proxy's address.
func startProxy(t *testing.T, target string, limit int64, stall bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	t.Cleanup(func() {
		close(done)
		_ = ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				_ = c.Close()
				continue
			}
			wg.Add(2)
			go func() { // client -> server
				defer wg.Done()
				_, _ = io.Copy(s, c)
				_ = s.Close()
				_ = c.Close()
			}()
			go func() { // server -> client, up to limit
				defer wg.Done()
				_, _ = io.CopyN(c, s, limit)
				if stall {
					<-done
				}
				_ = s.Close()
				_ = c.Close()
			}()
		}
	}()
	return ln.Addr().String()
}
