# Types LINE and a Tab into an interactive zsh (zpty) whose fpath has FPATH_DIR (holding _rsslab), and prints what
# the terminal showed once it shows EXPECTED (or after 30 s). Used by InstallIT:
#   zsh -f zsh-tab.zsh FPATH_DIR BASH_COMPLETION LINE EXPECTED
zmodload zsh/zpty
zpty -b z 'zsh -f -i'
# The prompt prints R#D (root) or R%D: its own line, echoed, does not match before compinit is done.
zpty -w z "PS1='R%#D '; fpath=(${(q)1} \$fpath); export RSSLAB_BASH_COMPLETION=${(q)2}; autoload -U compinit; compinit -u"
zpty -r z setup '*R[#%]D *'
zpty -w -n z "$3"$'\t'
out=
for i in {1..30}; do
  while zpty -r -t z line; do out+=$line; done
  [[ $out == *"$4"* ]] && break
  sleep 1
done
zpty -w -n z $'\x03'   # ^C: the line is dropped, never run
zpty -d z
print -r -- "$out"
