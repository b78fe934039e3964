module understudy/loadgen

go 1.22
