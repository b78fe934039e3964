// loadgen: an open-loop, constant-rate HTTP load generator for the benchmark suites.
//
// Request i is due at start + i/rate; its latency counts from when the generator got to
// it (the due instant, or later if the generator's own sleep overran), including any wait
// for a free connection, so a server stall shows up as latency instead of silently
// lowering the rate (no coordinated omission). Written in Go with the standard library only: its
// concurrent GC and cheap goroutines keep the instrument's own jitter far below the
// milliseconds being measured, which a Node generator on the same 2 cores could not.
//
//	loadgen -url http://127.0.0.1:3000/v1/check -rate 2000 -duration 10s \
//	        -method POST -bodies bodies.ndjson -header 'content-type: application/json'
//
// Prints one JSON object: count, ok, non2xx, errors, achieved rate and latency
// percentiles in milliseconds (every latency is kept and sorted: exact, not bucketed).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

type result struct {
	Count   int     `json:"count"`
	OK      int     `json:"ok"`
	Non2xx  int     `json:"non2xx"`
	Errors  int     `json:"errors"`
	Rate    float64 `json:"rate"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
	P99     float64 `json:"p99"`
	P999    float64 `json:"p999"`
	Max     float64 `json:"max"`
	Mean    float64 `json:"mean"`
	Seconds float64 `json:"seconds"`
	// Every 2xx latency, sorted, with -latencies: lets the caller pool several runs into one distribution.
	Latencies []float64 `json:"latencies,omitempty"`
}

func main() {
	url := flag.String("url", "", "target URL")
	method := flag.String("method", "GET", "HTTP method")
	rate := flag.Float64("rate", 100, "requests per second")
	duration := flag.Duration("duration", 10*time.Second, "how long to send")
	connections := flag.Int("connections", 64, "most requests in flight (and keep-alive connections)")
	bodiesFile := flag.String("bodies", "", "file with one request body per line, used round-robin")
	timeout := flag.Duration("timeout", 10*time.Second, "per-request timeout")
	keep := flag.Bool("latencies", false, "also print every 2xx latency (sorted, ms)")
	var hdrs headers
	flag.Var(&hdrs, "header", "request header 'name: value' (repeatable)")
	unique := flag.String("unique-header", "", "'name: prefix': this header is prefix + the request's index, a fresh value per request (e.g. an Idempotency-Key)")
	flag.Parse()
	if *url == "" || *rate <= 0 {
		fmt.Fprintln(os.Stderr, "loadgen: -url and a positive -rate are required")
		os.Exit(2)
	}

	var bodies [][]byte
	if *bodiesFile != "" {
		f, err := os.Open(*bodiesFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(2)
		}
		scanner := bufio.NewScanner(f)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		for scanner.Scan() {
			if line := scanner.Bytes(); len(line) > 0 {
				bodies = append(bodies, append([]byte(nil), line...))
			}
		}
		f.Close()
	}
	header := http.Header{}
	for _, h := range hdrs {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			fmt.Fprintln(os.Stderr, "loadgen: bad -header", h)
			os.Exit(2)
		}
		header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}

	uniqueName, uniquePrefix := "", ""
	if *unique != "" {
		name, prefix, ok := strings.Cut(*unique, ":")
		if !ok {
			fmt.Fprintln(os.Stderr, "loadgen: bad -unique-header", *unique)
			os.Exit(2)
		}
		uniqueName, uniquePrefix = strings.TrimSpace(name), strings.TrimSpace(prefix)
	}

	client := &http.Client{
		Timeout: *timeout,
		Transport: &http.Transport{
			MaxIdleConns:        *connections,
			MaxIdleConnsPerHost: *connections,
			MaxConnsPerHost:     *connections,
			DisableCompression:  true,
			IdleConnTimeout:     time.Minute,
		},
	}

	total := int(math.Round(*rate * duration.Seconds()))
	latencies := make([]float64, total)
	status := make([]int, total) // 0 = transport error
	slots := make(chan struct{}, *connections)
	var wg sync.WaitGroup
	interval := float64(time.Second) / *rate
	start := time.Now()
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(float64(i) * interval))
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		from := time.Now()
		slots <- struct{}{} // all connections busy: this request waits, and its wait counts
		wg.Add(1)
		go func(i int, from time.Time) {
			defer func() { <-slots; wg.Done() }()
			var body io.Reader
			if len(bodies) > 0 {
				body = bytes.NewReader(bodies[i%len(bodies)])
			}
			req, err := http.NewRequest(*method, *url, body)
			if err != nil {
				latencies[i] = math.NaN()
				return
			}
			req.Header = header.Clone()
			if uniqueName != "" {
				req.Header.Set(uniqueName, uniquePrefix+strconv.Itoa(i))
			}
			resp, err := client.Do(req)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				status[i] = resp.StatusCode
			}
			latencies[i] = float64(time.Since(from)) / float64(time.Millisecond)
		}(i, from)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()

	out := result{Count: total, Seconds: elapsed, Rate: float64(total) / elapsed}
	ok := make([]float64, 0, total)
	sum := 0.0
	for i, code := range status {
		switch {
		case code == 0:
			out.Errors++
		case code >= 200 && code < 300:
			out.OK++
			ok = append(ok, latencies[i])
			sum += latencies[i]
		default:
			out.Non2xx++
		}
	}
	sort.Float64s(ok)
	if n := len(ok); n > 0 {
		at := func(q float64) float64 { return round(ok[int(math.Min(float64(n-1), math.Floor(q*float64(n))))]) }
		out.P50, out.P90, out.P99, out.P999, out.Max, out.Mean = at(0.5), at(0.9), at(0.99), at(0.999), round(ok[n-1]), round(sum/float64(n))
	}
	if *keep {
		out.Latencies = make([]float64, len(ok))
		for i, v := range ok {
			out.Latencies[i] = math.Round(v*1000) / 1000
		}
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func round(v float64) float64 { return math.Round(v*100) / 100 }
