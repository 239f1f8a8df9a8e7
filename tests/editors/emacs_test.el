;;; emacs_test.el --- Emacs + eglot end to end, with the README's configuration  -*- lexical-binding: t; -*-
;; ZONELS=… ZONE_FILE=… FIX=code EXPECT=code,code emacs --batch -q -l tests/editors/emacs_test.el
;; Exit 0 on success, 1 with the reason otherwise.
(package-initialize)
(setq zonels-program (getenv "ZONELS"))
(load (expand-file-name "../../editors/emacs/zonels-eglot.el" (file-name-directory load-file-name)))

(defun zt-fail (fmt &rest args)
  (princ (format "FAIL: %s\n" (apply #'format fmt args)))
  (kill-emacs 1))

(defun zt-wait (secs pred what)
  (with-timeout (secs (zt-fail "timed out waiting for %s" what))
    (while (not (funcall pred))
      (accept-process-output nil 0.05)
      (when (bound-and-true-p flymake-mode) (flymake-start)))))

(defun zt-code (d)
  (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code))

(defun zt-find (code)
  (seq-find (lambda (d) (equal (zt-code d) code)) (flymake-diagnostics)))

(find-file (getenv "ZONE_FILE"))
(unless (eq major-mode 'dns-mode) (zt-fail "major mode is %s, not dns-mode" major-mode))
(run-hooks 'post-command-hook)           ; eglot-ensure connects from post-command-hook
(zt-wait 20 #'eglot-current-server "eglot to connect")
(let ((expect (split-string (getenv "EXPECT") "," t)))
  (zt-wait 20 (lambda () (seq-every-p #'zt-find expect)) (format "findings %s" expect)))
(dolist (d (flymake-diagnostics))
  (princ (format "DIAG %d: %s %s\n" (line-number-at-pos (flymake-diagnostic-beg d)) (zt-code d) (flymake-diagnostic-text d))))
(let* ((code (getenv "FIX"))
       (d (or (zt-find code) (zt-fail "no %s finding" code)))
       (server (eglot-current-server))
       (_ (goto-char (flymake-diagnostic-beg d)))
       (hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
       (lsp-diag (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))))
       (acts (jsonrpc-request server :textDocument/codeAction
                              (list :textDocument (eglot--TextDocumentIdentifier)
                                    :range (plist-get lsp-diag :range)
                                    :context (list :diagnostics (vector lsp-diag)))))
       (fix (seq-find (lambda (a) (and (equal (plist-get a :kind) "quickfix") (plist-get a :edit))) acts)))
  (let ((text (plist-get (plist-get hover :contents) :value)))
    (unless (and text (> (length text) 0)) (zt-fail "no hover"))
    (princ (format "HOVER %s\n" (car (split-string text "\n")))))
  (unless fix (zt-fail "no quick fix for %s among %S" code (mapcar (lambda (a) (plist-get a :title)) acts)))
  (princ (format "FIX %s\n" (plist-get fix :title)))
  (eglot--apply-workspace-edit (plist-get fix :edit))
  ;; eglot sends the change from an idle timer, and batch Emacs is never idle.
  (eglot--signal-textDocument/didChange)
  (zt-wait 20 (lambda () (not (zt-find code))) (format "%s to go after its fix" code))
  (eglot-shutdown server))
(princ "ok: diagnostics, hover and a quick fix in Emacs with eglot\n")
(kill-emacs 0)
