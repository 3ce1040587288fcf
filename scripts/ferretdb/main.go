// Command ferretdb runs FerretDB v2 embedded, in front of PostgreSQL with the DocumentDB extension, on loopback.
// We embed the package because upstream's own command needs build-time version files that `go build` lacks.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/v2/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	pgURL := flag.String("postgresql-url", "postgres://postgres@127.0.0.1:5432/postgres", "PostgreSQL URL")
	stateDir := flag.String("state-dir", "./state", "folder for FerretDB's own state")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*stateDir, 0o755); err != nil {
		log.Fatal(err)
	}
	off := false
	f, err := ferretdb.New(&ferretdb.Config{
		PostgreSQLURL: *pgURL,
		ListenAddr:    *listen,
		StateDir:      *stateDir,
		LogLevel:      level,
		LogOutput:     os.Stderr,
		Telemetry:     &off,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go exitWithParent(ctx, stop)

	fmt.Printf("ferretdb v2 listening on %s\n", *listen)
	f.Run(ctx)
}

// exitWithParent stops the server when the process that started it dies (even by kill -9), so none is orphaned.
func exitWithParent(ctx context.Context, stop context.CancelFunc) {
	parent := os.Getppid()
	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if os.Getppid() != parent {
				stop()
				return
			}
		}
	}
}
