# tclsh holding what Tcl's own allocator keeps: two million strings built and dropped. Prints "ready PID",
# then waits for the end of its input.
set l {}
for {set i 0} {$i < 2000000} {incr i} { lappend l [string repeat x 100]$i }
set l {}
puts "ready [pid]"
flush stdout
while {[gets stdin line] >= 0} {}
